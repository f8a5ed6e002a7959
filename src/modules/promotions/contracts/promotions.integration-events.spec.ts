import { Money } from '../../../shared/domain/money.js';
import { CouponCode } from '../domain/coupon-code.value-object.js';
import { amountOff } from '../domain/coupon-discount.js';
import { Coupon } from '../domain/coupon.aggregate.js';
import { Redemption } from '../domain/redemption.aggregate.js';
import {
  PROMOTIONS_EVENT_TYPES,
  PROMOTIONS_EVENT_VERSIONS,
  type PromotionsEventPayloads,
  type PromotionsEventType,
} from './promotions.integration-events.js';

const at = new Date('2026-12-01T10:00:00Z');
const couponId = '0193a0a0-0000-7000-8000-00000000000c';
const orderId = '0193a0a0-0000-7000-8000-0000000000bb';
const userId = '0193a0a0-0000-7000-8000-0000000000aa';

type Published = { type: string; version: number; aggregateId: string; payload(): unknown };

/** Every event promotions records, driven through the aggregates, by type. */
function recordAll(): Map<string, Published> {
  const events = new Map<string, Published>();
  const collect = (aggregate: { pendingEvents: readonly Published[]; markSaved(): void }) => {
    for (const event of aggregate.pendingEvents) events.set(event.type, event);
    aggregate.markSaved();
  };
  const coupon = Coupon.create({
    id: couponId,
    code: CouponCode.create('spring-5'),
    terms: {
      discount: amountOff(500, 'EUR', 'EUR'),
      minSubtotal: Money.of(1000, 'EUR'),
      validFrom: undefined,
      validUntil: at,
      maxRedemptions: 1,
      maxRedemptionsPerUser: 1,
    },
    now: at,
  });
  collect(coupon);
  coupon.revise({ maxRedemptions: 2 }, at);
  collect(coupon);
  const held = Redemption.reserve({ orderId, coupon, userId, heldByCustomer: 0, now: at });
  collect(held);
  held.confirm(coupon, at);
  collect(held);
  held.release(coupon, at);
  collect(held);
  collect(Redemption.reserve({ orderId, coupon, userId, heldByCustomer: 1, now: at }));
  coupon.disable(at);
  collect(coupon);
  return events;
}

/** Holds promotions' domain events to its published contract (types, versions, exact payload fields). */
describe('promotions integration-event contracts', () => {
  const recorded = recordAll();
  const payload = <T extends PromotionsEventType>(type: T) =>
    recorded.get(type)?.payload() as PromotionsEventPayloads[T];

  it('declares every event type promotions records, at the version it publishes', () => {
    expect([...recorded.keys()].sort()).toEqual(Object.values(PROMOTIONS_EVENT_TYPES).sort());
    for (const [type, event] of recorded) {
      expect(event.version).toBe(PROMOTIONS_EVENT_VERSIONS[type as PromotionsEventType]);
    }
  });

  it('keys coupon events by the coupon and redemption events by the order (the saga’s delivery order)', () => {
    for (const [type, event] of recorded) {
      expect(event.aggregateId).toBe(type.startsWith('promotions.coupon_') ? couponId : orderId);
    }
  });

  it('publishes exactly the contract fields', () => {
    expect(payload('promotions.coupon_changed')).toEqual({
      couponId,
      code: 'SPRING-5',
      discount: { amount: { amount: 500, currency: 'EUR' } },
      minSubtotal: { amount: 1000, currency: 'EUR' },
      validFrom: null,
      validUntil: at.toISOString(),
      maxRedemptions: 2,
      maxRedemptionsPerUser: 1,
      status: 'active',
      version: 2,
    });
    expect(payload('promotions.coupon_disabled')).toMatchObject({ status: 'disabled' });
    const redemption = { orderId, couponId, code: 'SPRING-5', userId };
    expect(payload('promotions.redemption_reserved')).toEqual(redemption);
    expect(payload('promotions.redemption_confirmed')).toEqual(redemption);
    expect(payload('promotions.redemption_released')).toEqual(redemption);
    expect(payload('promotions.redemption_refused')).toEqual({ ...redemption, reason: 'coupon_exhausted' });
  });

  it('payloads survive the JSON round trip of the outbox unchanged', () => {
    for (const event of recorded.values()) {
      expect(JSON.parse(JSON.stringify(event.payload()))).toEqual(event.payload());
    }
  });
});
