import type { IntegrationEvent } from '../../../shared/application/integration-event.js';

/**
 * What other contexts (and broker consumers) may rely on about promotions' events. The redemption events answer
 * an order's coupon in the order saga (ordering listens to `redemption_reserved` / `redemption_refused`) and are
 * keyed by the order; the coupon events carry an admin's changes, keyed by the coupon. A breaking change is a new
 * version.
 */
export const PROMOTIONS_EVENT_TYPES = {
  couponCreated: 'promotions.coupon_created',
  couponChanged: 'promotions.coupon_changed',
  couponDisabled: 'promotions.coupon_disabled',
  redemptionReserved: 'promotions.redemption_reserved',
  redemptionRefused: 'promotions.redemption_refused',
  redemptionConfirmed: 'promotions.redemption_confirmed',
  redemptionReleased: 'promotions.redemption_released',
} as const;

export type PromotionsEventType = (typeof PROMOTIONS_EVENT_TYPES)[keyof typeof PROMOTIONS_EVENT_TYPES];

interface MoneyPayload {
  /** Integer minor units. */
  readonly amount: number;
  readonly currency: string;
}

/** A coupon's definition after the change. `version` grows by one per change. */
export type CouponPayload = {
  readonly couponId: string;
  readonly code: string;
  readonly discount: { readonly percent: number } | { readonly amount: MoneyPayload };
  readonly minSubtotal: MoneyPayload | null;
  /** ISO-8601, UTC; null = open-ended. */
  readonly validFrom: string | null;
  readonly validUntil: string | null;
  readonly maxRedemptions: number | null;
  readonly maxRedemptionsPerUser: number;
  readonly status: 'active' | 'disabled';
  readonly version: number;
};

/** One order's use of a coupon. */
export type RedemptionPayload = {
  readonly orderId: string;
  readonly couponId: string;
  readonly code: string;
  readonly userId: string;
};

export type PromotionsEventPayloads = {
  readonly 'promotions.coupon_created': CouponPayload;
  readonly 'promotions.coupon_changed': CouponPayload;
  readonly 'promotions.coupon_disabled': CouponPayload;
  /** The order holds a redemption: promotions' "yes" in the saga. */
  readonly 'promotions.redemption_reserved': RedemptionPayload;
  /** The coupon is used up (in total or for this customer): promotions' "no"; nothing is held. */
  readonly 'promotions.redemption_refused': RedemptionPayload & { readonly reason: 'coupon_exhausted' };
  readonly 'promotions.redemption_confirmed': RedemptionPayload;
  readonly 'promotions.redemption_released': RedemptionPayload;
};

export type PromotionsEvent<TType extends PromotionsEventType> = IntegrationEvent<
  PromotionsEventPayloads[TType],
  TType
>;

export const PROMOTIONS_EVENT_VERSIONS: Readonly<Record<PromotionsEventType, number>> = {
  'promotions.coupon_created': 1,
  'promotions.coupon_changed': 1,
  'promotions.coupon_disabled': 1,
  'promotions.redemption_reserved': 1,
  'promotions.redemption_refused': 1,
  'promotions.redemption_confirmed': 1,
  'promotions.redemption_released': 1,
};
