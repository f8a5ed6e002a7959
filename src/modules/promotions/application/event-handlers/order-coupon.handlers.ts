import { OnIntegrationEvent, type IntegrationEventHandler } from '../../../../shared/application/integration-event.js';
import { ORDERING_EVENT_TYPES, type OrderingEvent, type OrderPayload } from '../../../ordering/contracts/index.js';
import { CouponRedemptions } from '../redemptions/coupon-redemptions.js';

// Promotions' part of the order saga (README "Life of an order"), learnt only from ordering's events. Orders
// without a coupon are none of promotions' business: `where` keeps their events away from these handlers (no inbox
// row, no transaction). One order's events arrive in the order they happened, so a release always follows the
// reservation it undoes, even when the order was cancelled or timed out before promotions got to it.

const withCoupon = (order: OrderPayload): boolean => order.couponCode !== null;

@OnIntegrationEvent<OrderPayload>(ORDERING_EVENT_TYPES.orderPlaced, {
  name: 'promotions.reserve-order-coupon',
  where: withCoupon,
})
export class ReserveOrderCouponHandler implements IntegrationEventHandler<OrderingEvent<'ordering.order_placed'>> {
  constructor(private readonly redemptions: CouponRedemptions) {}

  async handle(event: OrderingEvent<'ordering.order_placed'>): Promise<void> {
    const { orderId, userId, couponCode } = event.payload;
    if (couponCode === null) return;
    // The answer leaves as promotions.redemption_reserved / redemption_refused.
    await this.redemptions.reserve({ orderId, userId, code: couponCode });
  }
}

/** A confirmed order's redemption now counts in the coupon's `redemptions`. */
@OnIntegrationEvent<OrderPayload>(ORDERING_EVENT_TYPES.orderConfirmed, {
  name: 'promotions.confirm-order-coupon',
  where: withCoupon,
})
export class ConfirmOrderCouponHandler implements IntegrationEventHandler<OrderingEvent<'ordering.order_confirmed'>> {
  constructor(private readonly redemptions: CouponRedemptions) {}

  async handle(event: OrderingEvent<'ordering.order_confirmed'>): Promise<void> {
    await this.redemptions.confirm(event.payload.orderId);
  }
}

type OrderEnded =
  | OrderingEvent<'ordering.order_rejected'>
  | OrderingEvent<'ordering.order_cancelled'>
  | OrderingEvent<'ordering.order_expired'>;

/**
 * A rejected, cancelled (paid or not) or expired order gives its redemption back — nothing, if it never held one
 * (refused, or rejected before promotions got to it). A shipped order keeps it.
 */
@OnIntegrationEvent<OrderPayload>(
  [ORDERING_EVENT_TYPES.orderRejected, ORDERING_EVENT_TYPES.orderCancelled, ORDERING_EVENT_TYPES.orderExpired],
  { name: 'promotions.release-order-coupon', where: withCoupon },
)
export class ReleaseOrderCouponHandler implements IntegrationEventHandler<OrderEnded> {
  constructor(private readonly redemptions: CouponRedemptions) {}

  async handle(event: OrderEnded): Promise<void> {
    await this.redemptions.release(event.payload.orderId);
  }
}
