import { ValidationFailedError } from '../../../shared/domain/domain-error.js';
import { Money } from '../../../shared/domain/money.js';
import { MAX_LINE_QUANTITY, MAX_ORDER_LINES, type OrderLine } from './order-line.js';
import { Order } from './order.aggregate.js';
import { ORDER_STATUSES, ORDER_TRANSITIONS, type OrderStatus } from './order-status.js';
import { InvalidOrderTransitionError } from './ordering.errors.js';

const at = new Date('2026-12-01T10:00:00.000Z');
const later = (ms: number) => new Date(at.getTime() + ms);
const eur = (amount: number) => Money.of(amount, 'EUR');
const line = (productId: string, quantity: number, price: number): OrderLine => ({
  productId,
  quantity,
  unitPrice: eur(price),
});
const lines = [line('p-1', 2, 1290), line('p-2', 3, 450)];

function placed(): Order {
  const order = Order.place({ id: 'o-1', userId: 'u-1', lines, currency: 'EUR', now: at, confirmWithinMs: 30_000 });
  order.markSaved();
  return order;
}

/** Drives a fresh order to `status` along allowed transitions. */
function orderIn(status: OrderStatus): Order {
  const order = placed();
  const paths: Record<OrderStatus, ((o: Order) => void)[]> = {
    PENDING: [],
    CONFIRMED: [(o) => o.confirm(later(1), 60_000)],
    PAID: [(o) => o.confirm(later(1), 60_000), (o) => o.markPaid(later(2))],
    SHIPPED: [(o) => o.confirm(later(1), 60_000), (o) => o.markPaid(later(2)), (o) => o.ship(later(3))],
    REJECTED: [(o) => o.reject('out_of_stock', later(1))],
    CANCELLED: [(o) => o.cancel('cancelled_by_customer', later(1))],
    EXPIRED: [(o) => o.confirm(later(1), 60_000), (o) => o.lapse(later(120_000))],
  };
  for (const step of paths[status]) {
    step(order);
    order.markSaved();
  }
  expect(order.currentStatus).toBe(status);
  return order;
}

/** The action that moves an order to `to` (for the timer-driven statuses, the timer's move once due). */
function moveTo(order: Order, to: OrderStatus): void {
  const now = later(10_000_000);
  const actions: Record<OrderStatus, () => void> = {
    PENDING: () => {
      throw new InvalidOrderTransitionError(order.currentStatus, 'PENDING');
    },
    CONFIRMED: () => order.confirm(now, 60_000),
    PAID: () => order.markPaid(now),
    SHIPPED: () => order.ship(now),
    REJECTED: () => order.reject('out_of_stock', now),
    CANCELLED: () => order.cancel('cancelled_by_admin', now),
    EXPIRED: () => order.expire(now),
  };
  actions[to]();
}

describe('Order', () => {
  it('is placed PENDING with prices captured, subtotal = Σ unit price × quantity, no discount, total = subtotal', () => {
    const order = Order.place({ id: 'o-1', userId: 'u-1', lines, currency: 'EUR', now: at, confirmWithinMs: 30_000 });
    const snapshot = order.snapshot();
    expect(snapshot).toMatchObject({
      orderId: 'o-1',
      userId: 'u-1',
      status: 'PENDING',
      subtotal: { amount: 2 * 1290 + 3 * 450, currency: 'EUR' },
      discount: { amount: 0, currency: 'EUR' },
      total: { amount: 3930, currency: 'EUR' },
      couponCode: null,
      reason: null,
      version: 1,
    });
    expect(order.state().deadlineAt).toEqual(later(30_000));
    expect(order.pendingEvents.map((e) => e.type)).toEqual(['ordering.order_placed']);
    expect(order.pendingEvents[0].payload()).toEqual(snapshot);
  });

  it('refuses empty, oversized, repeated, fractional and out-of-range lines, naming each by path', () => {
    const place = (input: readonly OrderLine[]) => () =>
      Order.place({ id: 'o', userId: 'u', lines: input, currency: 'EUR', now: at, confirmWithinMs: 1 });
    expect(place([])).toThrow(ValidationFailedError);
    expect(place(Array.from({ length: MAX_ORDER_LINES + 1 }, (_, i) => line(`p-${i}`, 1, 1)))).toThrow(/at most/);
    try {
      place([line('a', 0, 1), line('b', 1.5, 1), line('a', 1, 1), line('c', MAX_LINE_QUANTITY + 1, 1)])();
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationFailedError).violations.map((v) => v.field)).toEqual([
        'lines[0].quantity',
        'lines[1].quantity',
        'lines[2].productId',
        'lines[3].quantity',
      ]);
    }
    expect(place([{ productId: 'a', quantity: 1, unitPrice: Money.of(1, 'USD') }])).toThrow(/EUR/);
  });

  it('keeps totals exact for large amounts and refuses totals beyond safe integers', () => {
    const big = Order.place({
      id: 'o',
      userId: 'u',
      lines: [line('a', MAX_LINE_QUANTITY, 999_999_999), line('b', 1, 1)],
      currency: 'EUR',
      now: at,
      confirmWithinMs: 1,
    });
    expect(big.snapshot().total.amount).toBe(MAX_LINE_QUANTITY * 999_999_999 + 1);
    expect(() =>
      Order.place({
        id: 'o',
        userId: 'u',
        lines: [line('a', MAX_LINE_QUANTITY, Number.MAX_SAFE_INTEGER)],
        currency: 'EUR',
        now: at,
        confirmWithinMs: 1,
      }),
    ).toThrow(ValidationFailedError);
  });

  describe('state machine: every pair of statuses', () => {
    const pairs = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to] as const));
    it.each(pairs)('%s → %s', (from, to) => {
      const order = orderIn(from);
      const before = order.version;
      if (ORDER_TRANSITIONS[from].includes(to)) {
        moveTo(order, to);
        expect(order.currentStatus).toBe(to);
        expect(order.version).toBe(before + 1);
        expect(order.pendingEvents).toHaveLength(1);
        expect(order.pendingEvents[0].payload()).toMatchObject({ status: to, version: before + 1 });
      } else {
        expect(() => moveTo(order, to)).toThrow(InvalidOrderTransitionError);
        expect(order.currentStatus).toBe(from);
        expect(order.version).toBe(before);
        expect(order.pendingEvents).toHaveLength(0);
      }
    });
  });

  it('forbidden moves are 42204 with the statuses named', () => {
    const cancelled = orderIn('CANCELLED');
    try {
      cancelled.cancel('cancelled_by_customer', later(5));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidOrderTransitionError);
      expect((error as InvalidOrderTransitionError).code).toBe(42204);
      expect((error as Error).message).toBe('An order that is CANCELLED cannot become CANCELLED');
    }
  });

  describe('lapse (the timers)', () => {
    it('rejects a PENDING order with `timeout` once its confirmation deadline has passed, not before', () => {
      const order = placed();
      expect(order.lapse(later(29_999))).toBe(false);
      expect(order.currentStatus).toBe('PENDING');
      expect(order.lapse(later(30_000))).toBe(true);
      expect(order.snapshot()).toMatchObject({ status: 'REJECTED', reason: 'timeout', version: 2 });
      expect(order.state().deadlineAt).toBeUndefined();
    });

    it('expires a CONFIRMED order with `payment_timeout` once its payment deadline has passed', () => {
      const order = placed();
      order.confirm(later(100), 60_000);
      order.markSaved();
      expect(order.state().deadlineAt).toEqual(later(60_100));
      expect(order.lapse(later(60_099))).toBe(false);
      expect(order.lapse(later(60_100))).toBe(true);
      expect(order.snapshot()).toMatchObject({ status: 'EXPIRED', reason: 'payment_timeout' });
      expect(order.pendingEvents.map((e) => e.type)).toEqual(['ordering.order_expired']);
    });

    it('leaves final and paid orders alone (they have no deadline)', () => {
      for (const status of ['PAID', 'SHIPPED', 'REJECTED', 'CANCELLED', 'EXPIRED'] as const) {
        const order = orderIn(status);
        expect(order.state().deadlineAt).toBeUndefined();
        expect(order.lapse(later(10_000_000_000))).toBe(false);
        expect(order.currentStatus).toBe(status);
      }
    });
  });

  it('restores from its state exactly', () => {
    const order = orderIn('CONFIRMED');
    const restored = Order.restore(order.state());
    expect(restored.snapshot()).toEqual(order.snapshot());
    expect(restored.state()).toEqual(order.state());
    expect(restored.isNew).toBe(false);
  });
});
