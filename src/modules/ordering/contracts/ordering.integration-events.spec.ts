import { Money } from '../../../shared/domain/money.js';
import { Order } from '../domain/order.aggregate.js';
import { ORDER_EVENT_TYPES, type OrderEvent } from '../domain/order.events.js';
import {
  ORDERING_EVENT_TYPES,
  ORDERING_EVENT_VERSIONS,
  type OrderingEventType,
  type OrderPayload,
} from './ordering.integration-events.js';

const at = new Date('2026-12-01T10:00:00.000Z');
const step = (ms: number) => new Date(at.getTime() + ms);

function order(): Order {
  const placed = Order.place({
    id: '0193a0a0-0000-7000-8000-0000000000aa',
    userId: '0193a0a0-0000-7000-8000-0000000000bb',
    lines: [{ productId: '0193a0a0-0000-7000-8000-0000000000cc', quantity: 2, unitPrice: Money.of(1290, 'EUR') }],
    currency: 'EUR',
    now: at,
    confirmWithinMs: 30_000,
  });
  placed.markSaved();
  return placed;
}

/** Runs `change` on a fresh order and returns the event it recorded. */
function eventOf(change: (o: Order) => void, before: (o: Order) => void = () => undefined): OrderEvent {
  const o = order();
  before(o);
  o.markSaved();
  change(o);
  return o.pendingEvents[0] as OrderEvent;
}

/**
 * Holds ordering's domain events to the published contract: every type it records is declared, at the declared
 * version, and every payload is the contract's OrderPayload (checked by the compiler too: the assignment below
 * fails to type-check when the domain snapshot and the contract drift apart).
 */
describe('ordering integration-event contracts', () => {
  const confirm = (o: Order) => o.confirm(step(1), 60_000);
  const events: Record<OrderingEventType, OrderEvent> = {
    'ordering.order_placed': (() => {
      const o = Order.place({
        id: 'x',
        userId: 'u',
        lines: [{ productId: 'p', quantity: 1, unitPrice: Money.of(1, 'EUR') }],
        currency: 'EUR',
        now: at,
        confirmWithinMs: 1,
      });
      return o.pendingEvents[0] as OrderEvent;
    })(),
    'ordering.order_confirmed': eventOf(confirm),
    'ordering.order_rejected': eventOf((o) => o.reject('out_of_stock', step(1))),
    'ordering.order_cancelled': eventOf((o) => o.cancel('cancelled_by_customer', step(2)), confirm),
    'ordering.order_expired': eventOf((o) => o.expire(step(2)), confirm),
    'ordering.order_paid': eventOf((o) => o.markPaid(step(2)), confirm),
    'ordering.order_shipped': eventOf(
      (o) => o.ship(step(3)),
      (o) => {
        confirm(o);
        o.markSaved();
        o.markPaid(step(2));
      },
    ),
  };

  it('declares every event type ordering records, at the version it publishes', () => {
    expect(Object.values(ORDER_EVENT_TYPES).sort()).toEqual(Object.values(ORDERING_EVENT_TYPES).sort());
    for (const [type, event] of Object.entries(events)) {
      expect(event.type).toBe(type);
      expect(event.version).toBe(ORDERING_EVENT_VERSIONS[type as OrderingEventType]);
    }
  });

  it('publishes the whole order after the change, and names the order as the aggregate', () => {
    const payload: OrderPayload = events['ordering.order_cancelled'].payload();
    expect(payload).toEqual({
      orderId: '0193a0a0-0000-7000-8000-0000000000aa',
      userId: '0193a0a0-0000-7000-8000-0000000000bb',
      status: 'CANCELLED',
      lines: [
        {
          productId: '0193a0a0-0000-7000-8000-0000000000cc',
          quantity: 2,
          unitPrice: { amount: 1290, currency: 'EUR' },
        },
      ],
      subtotal: { amount: 2580, currency: 'EUR' },
      discount: { amount: 0, currency: 'EUR' },
      total: { amount: 2580, currency: 'EUR' },
      couponCode: null,
      reason: 'cancelled_by_customer',
      createdAt: '2026-12-01T10:00:00.000Z',
      updatedAt: '2026-12-01T10:00:00.002Z',
      version: 3,
    });
    expect(events['ordering.order_cancelled'].aggregateId).toBe(payload.orderId);
  });

  it('payloads survive the JSON round trip of the outbox unchanged', () => {
    for (const event of Object.values(events)) {
      expect(JSON.parse(JSON.stringify(event.payload()))).toEqual(event.payload());
    }
  });
});
