import { Money } from '../../../../shared/domain/money.js';
import { Coupon } from '../../domain/coupon.aggregate.js';
import { COUPON_STATUSES, type CouponStatus } from '../../domain/coupon-status.js';
import { Redemption, REDEMPTION_STATUSES, type RedemptionStatus } from '../../domain/redemption.aggregate.js';
import { CouponOrmEntity } from './coupon.orm-entity.js';
import { RedemptionOrmEntity } from './redemption.orm-entity.js';

function oneOf<T extends string>(allowed: readonly T[], value: string, column: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`${column} holds an unknown value "${value}"`);
  return value as T;
}

/** Between the promotions aggregates and their rows (BIGINT amounts arrive as numbers or strings: Number() both). */
export const CouponMapper = {
  toRow(coupon: Coupon, currency: string): CouponOrmEntity {
    const state = coupon.snapshot();
    const row = new CouponOrmEntity();
    row.id = state.id;
    row.code = state.code;
    row.discountPercent = state.discount.kind === 'percent' ? state.discount.percent : null;
    row.discountAmount = state.discount.kind === 'amount' ? state.discount.amount.amount : null;
    row.currency = state.discount.kind === 'amount' ? state.discount.amount.currency : currency;
    row.minSubtotal = state.minSubtotal?.amount ?? null;
    row.validFrom = state.validFrom ?? null;
    row.validUntil = state.validUntil ?? null;
    row.maxRedemptions = state.maxRedemptions ?? null;
    row.maxRedemptionsPerUser = state.maxRedemptionsPerUser;
    row.status = state.status;
    row.redemptions = state.redemptions;
    row.pendingRedemptions = state.pendingRedemptions;
    row.version = state.version;
    row.createdAt = state.createdAt;
    row.updatedAt = state.updatedAt;
    return row;
  },

  toDomain(row: CouponOrmEntity): Coupon {
    const percent = row.discountPercent === null ? undefined : Number(row.discountPercent);
    return Coupon.restore({
      id: row.id,
      code: row.code,
      discount:
        percent === undefined
          ? { kind: 'amount', amount: Money.of(Number(row.discountAmount), row.currency) }
          : { kind: 'percent', percent },
      minSubtotal: row.minSubtotal === null ? undefined : Money.of(Number(row.minSubtotal), row.currency),
      validFrom: row.validFrom ?? undefined,
      validUntil: row.validUntil ?? undefined,
      maxRedemptions: row.maxRedemptions ?? undefined,
      maxRedemptionsPerUser: row.maxRedemptionsPerUser,
      status: oneOf<CouponStatus>(COUPON_STATUSES, row.status, 'coupons.status'),
      redemptions: row.redemptions,
      pendingRedemptions: row.pendingRedemptions,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      version: row.version,
    });
  },

  redemptionToRow(redemption: Redemption): RedemptionOrmEntity {
    const state = redemption.snapshot();
    const row = new RedemptionOrmEntity();
    row.id = state.orderId;
    row.couponId = state.couponId;
    row.code = state.code;
    row.userId = state.userId;
    row.status = state.status;
    row.version = state.version;
    row.createdAt = state.createdAt;
    row.updatedAt = state.updatedAt;
    return row;
  },

  redemptionToDomain(row: RedemptionOrmEntity): Redemption {
    return Redemption.restore({
      orderId: row.id,
      couponId: row.couponId,
      code: row.code,
      userId: row.userId,
      status: oneOf<RedemptionStatus>(REDEMPTION_STATUSES, row.status, 'coupon_redemptions.status'),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      version: row.version,
    });
  },
};
