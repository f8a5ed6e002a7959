import type { Coupon } from '../domain/coupon.aggregate.js';
import { discountToJSON } from '../domain/coupon-discount.js';
import type { CouponStatus } from '../domain/coupon-status.js';

/** Money as the API shows it: integer minor units of one currency. */
export interface MoneyView {
  readonly amount: number;
  readonly currency: string;
}

/** A coupon as the admin API shows it (JSON-safe: no class instances). */
export interface CouponView {
  readonly id: string;
  readonly code: string;
  readonly discount: { readonly percent: number } | { readonly amount: MoneyView };
  readonly minSubtotal: MoneyView | null;
  readonly validFrom: string | null;
  readonly validUntil: string | null;
  readonly maxRedemptions: number | null;
  readonly maxRedemptionsPerUser: number;
  readonly status: CouponStatus;
  /** Orders that hold a redemption now: confirmed, paid or shipped. */
  readonly redemptions: number;
  /** Redemptions reserved for orders the saga has not decided yet. */
  readonly pendingRedemptions: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

export function toCouponView(coupon: Coupon): CouponView {
  const state = coupon.snapshot();
  return {
    id: state.id,
    code: state.code,
    discount: discountToJSON(state.discount),
    minSubtotal: state.minSubtotal?.toJSON() ?? null,
    validFrom: state.validFrom?.toISOString() ?? null,
    validUntil: state.validUntil?.toISOString() ?? null,
    maxRedemptions: state.maxRedemptions ?? null,
    maxRedemptionsPerUser: state.maxRedemptionsPerUser,
    status: state.status,
    redemptions: state.redemptions,
    pendingRedemptions: state.pendingRedemptions,
    createdAt: state.createdAt.toISOString(),
    updatedAt: state.updatedAt.toISOString(),
    version: state.version,
  };
}
