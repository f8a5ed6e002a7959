import { Money } from '../../../shared/domain/money.js';
import { CouponCode } from './coupon-code.value-object.js';
import { percentOff } from './coupon-discount.js';
import { Coupon } from './coupon.aggregate.js';
import { Redemption } from './redemption.aggregate.js';

const at = new Date('2026-12-01T10:00:00.000Z');

function coupon(maxRedemptions: number | undefined): Coupon {
  const created = Coupon.create({
    id: 'c-1',
    code: CouponCode.create('SPRING'),
    terms: {
      discount: percentOff(10),
      minSubtotal: Money.of(0, 'EUR'),
      validFrom: undefined,
      validUntil: undefined,
      maxRedemptions,
      maxRedemptionsPerUser: 1,
    },
    now: at,
  });
  created.markSaved();
  return created;
}

const reserve = (c: Coupon, orderId = 'o-1', heldByCustomer = 0) =>
  Redemption.reserve({ orderId, coupon: c, userId: 'u-1', heldByCustomer, now: at });

describe('Redemption', () => {
  it('reserves one of the coupon’s redemptions for the order and announces it, keyed by the order', () => {
    const c = coupon(1);
    const redemption = reserve(c);
    expect(redemption.currentStatus).toBe('reserved');
    expect(c.snapshot()).toMatchObject({ pendingRedemptions: 1, redemptions: 0 });
    expect(redemption.pendingEvents.map((event) => [event.type, event.aggregateId, event.payload()])).toEqual([
      ['promotions.redemption_reserved', 'o-1', { orderId: 'o-1', couponId: 'c-1', code: 'SPRING', userId: 'u-1' }],
    ]);
  });

  it('is refused when the coupon is used up, in total or for the customer, and then holds nothing', () => {
    const c = coupon(1);
    reserve(c, 'o-1');
    const refused = reserve(c, 'o-2');
    expect(refused.currentStatus).toBe('refused');
    expect(refused.holdsCoupon).toBe(false);
    expect(refused.pendingEvents.map((event) => event.payload())).toEqual([
      { orderId: 'o-2', couponId: 'c-1', code: 'SPRING', userId: 'u-1', reason: 'coupon_exhausted' },
    ]);
    expect(reserve(coupon(undefined), 'o-3', 1).currentStatus).toBe('refused');
    expect(c.snapshot()).toMatchObject({ pendingRedemptions: 1 });
  });

  it('moves to redeemed when its order is confirmed, once', () => {
    const c = coupon(5);
    const redemption = reserve(c);
    redemption.confirm(c, at);
    redemption.confirm(c, at);
    expect(redemption.currentStatus).toBe('redeemed');
    expect(c.snapshot()).toMatchObject({ pendingRedemptions: 0, redemptions: 1 });
  });

  it('gives back what it holds on release — pending or confirmed — once; a refused one gives back nothing', () => {
    const c = coupon(5);
    const pending = reserve(c, 'o-1');
    pending.release(c, at);
    pending.release(c, at);
    expect(pending.currentStatus).toBe('released');
    const confirmed = Redemption.reserve({ orderId: 'o-2', coupon: c, userId: 'u-2', heldByCustomer: 0, now: at });
    confirmed.confirm(c, at);
    confirmed.release(c, at);
    expect(c.snapshot()).toMatchObject({ pendingRedemptions: 0, redemptions: 0 });
    const refused = reserve(coupon(1), 'o-3', 1);
    refused.release(c, at);
    refused.confirm(c, at);
    expect(refused.currentStatus).toBe('refused');
    expect(c.snapshot()).toMatchObject({ pendingRedemptions: 0, redemptions: 0 });
  });

  it('a released redemption is not confirmed by a late confirmation', () => {
    const c = coupon(5);
    const redemption = reserve(c);
    redemption.release(c, at);
    redemption.confirm(c, at);
    expect(redemption.currentStatus).toBe('released');
    expect(c.snapshot()).toMatchObject({ pendingRedemptions: 0, redemptions: 0 });
  });
});
