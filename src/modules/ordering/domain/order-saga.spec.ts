import fc from 'fast-check';
import { Money } from '../../../shared/domain/money.js';
import type { OrderLine } from './order-line.js';
import { Order } from './order.aggregate.js';
import type { SagaParticipant } from './saga-participant.js';

const at = new Date('2026-12-01T10:00:00.000Z');
const later = (ms: number) => new Date(at.getTime() + ms);
const eur = (amount: number) => Money.of(amount, 'EUR');
const lines: OrderLine[] = [{ productId: 'p-1', quantity: 2, unitPrice: eur(1290) }];

function placed(coupon?: { code: string; discount: Money }): Order {
  const order = Order.place({
    id: 'o-1',
    userId: 'u-1',
    lines,
    currency: 'EUR',
    now: at,
    confirmWithinMs: 30_000,
    coupon,
  });
  order.markSaved();
  return order;
}

const withCoupon = () => placed({ code: 'WELCOME-10', discount: eur(258) });

describe('Order as the saga’s record', () => {
  it('carries the quoted discount: total = subtotal − discount, and the code', () => {
    expect(withCoupon().snapshot()).toMatchObject({
      subtotal: { amount: 2580 },
      discount: { amount: 258 },
      total: { amount: 2322 },
      couponCode: 'WELCOME-10',
    });
  });

  it('refuses a discount above the subtotal (promotions caps it; anything else is a bug)', () => {
    expect(() => placed({ code: 'X-1', discount: eur(2581) })).toThrow(/does not fit/);
  });

  it('waits for inventory alone without a coupon, for inventory and promotions with one', () => {
    expect(placed().awaitedParticipants).toEqual(['stock']);
    expect(withCoupon().awaitedParticipants).toEqual(['coupon', 'stock']);
  });

  it('a first reservation is progress nobody sees: same version, no event, but marked for saving', () => {
    const order = withCoupon();
    order.recordReservation('stock', later(1), 60_000);
    expect(order.currentStatus).toBe('PENDING');
    expect(order.version).toBe(1);
    expect(order.hasUnsavedChanges).toBe(false);
    expect(order.hasUnsavedProgress).toBe(true);
    expect(order.pendingEvents).toEqual([]);
    expect(order.awaitedParticipants).toEqual(['coupon']);
    order.markSaved();
    expect(order.hasUnsavedProgress).toBe(false);
  });

  it('the last reservation confirms (one version step, one event) and starts the payment deadline', () => {
    const order = withCoupon();
    order.recordReservation('coupon', later(1), 60_000);
    order.markSaved();
    order.recordReservation('stock', later(2), 60_000);
    expect(order.snapshot()).toMatchObject({ status: 'CONFIRMED', version: 2 });
    expect(order.state()).toMatchObject({ deadlineAt: later(60_002), awaiting: [] });
    expect(order.pendingEvents.map((event) => event.type)).toEqual(['ordering.order_confirmed']);
  });

  it.each<[SagaParticipant, string]>([
    ['coupon', 'coupon_exhausted'],
    ['stock', 'out_of_stock'],
  ])('a refusal by %s rejects with %s, even after the other reserved (its release is the compensation)', (who, why) => {
    const order = withCoupon();
    order.recordReservation(who === 'coupon' ? 'stock' : 'coupon', later(1), 60_000);
    order.recordRefusal(who, later(2));
    expect(order.snapshot()).toMatchObject({ status: 'REJECTED', reason: why, version: 2 });
    expect(order.pendingEvents.map((event) => event.type)).toEqual(['ordering.order_rejected']);
  });

  it('ignores re-delivered answers and answers for an order that moved on', () => {
    const order = withCoupon();
    order.recordReservation('stock', later(1), 60_000);
    order.recordReservation('stock', later(2), 60_000);
    expect(order.awaitedParticipants).toEqual(['coupon']);
    order.cancel('cancelled_by_customer', later(3));
    order.markSaved();
    order.recordReservation('coupon', later(4), 60_000);
    order.recordRefusal('coupon', later(4));
    expect(order.snapshot()).toMatchObject({ status: 'CANCELLED', version: 2 });
    expect(order.pendingEvents).toEqual([]);
  });

  it('property: whatever the order of the answers, CONFIRMED iff every participant reserved before any refusal', () => {
    const answer = fc.record({
      who: fc.constantFrom<SagaParticipant>('stock', 'coupon'),
      reserved: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.boolean(), fc.array(answer, { maxLength: 6 }), (hasCoupon, answers) => {
        const order = hasCoupon ? withCoupon() : placed();
        const waiting = new Set<SagaParticipant>(hasCoupon ? ['stock', 'coupon'] : ['stock']);
        let expected: string = 'PENDING';
        answers.forEach(({ who, reserved }, index) => {
          if (reserved) order.recordReservation(who, later(index + 1), 60_000);
          else order.recordRefusal(who, later(index + 1));
          order.markSaved();
          if (expected !== 'PENDING') return;
          if (!reserved) expected = 'REJECTED';
          else if (waiting.delete(who) && waiting.size === 0) expected = 'CONFIRMED';
        });
        expect(order.currentStatus).toBe(expected);
        expect(order.version).toBe(expected === 'PENDING' ? 1 : 2);
      }),
    );
  });
});
