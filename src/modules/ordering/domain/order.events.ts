import { DomainEvent } from '../../../shared/domain/domain-event.js';
import type { OrderStatus, OrderReason } from './order-status.js';

/** Every ordering event, by type; the payload is the same full snapshot for all of them (see `OrderEvent`). */
export const ORDER_EVENT_TYPES = {
  placed: 'ordering.order_placed',
  confirmed: 'ordering.order_confirmed',
  rejected: 'ordering.order_rejected',
  cancelled: 'ordering.order_cancelled',
  expired: 'ordering.order_expired',
  paid: 'ordering.order_paid',
  shipped: 'ordering.order_shipped',
} as const;
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[keyof typeof ORDER_EVENT_TYPES];

interface MoneyJson {
  readonly amount: number;
  readonly currency: string;
}

/** The order as it is after the change, JSON-ready: what `ordering/contracts` publishes for every event. */
// A type, not an interface: payloads must be assignable to Record<string, unknown>.
export type OrderSnapshot = {
  readonly orderId: string;
  readonly userId: string;
  readonly status: OrderStatus;
  readonly lines: readonly { readonly productId: string; readonly quantity: number; readonly unitPrice: MoneyJson }[];
  readonly subtotal: MoneyJson;
  readonly discount: MoneyJson;
  readonly total: MoneyJson;
  readonly couponCode: string | null;
  readonly reason: OrderReason | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
};

/**
 * One class for every change of an order: each carries the whole order after the change. Consumers then never
 * need a second read (inventory reserves the lines from `order_placed`, the read model is an upsert of the
 * snapshot, realtime pushes the status), and a re-delivered or late event is recognisable by its `version`.
 */
export class OrderEvent extends DomainEvent {
  constructor(
    readonly type: OrderEventType,
    readonly snapshot: OrderSnapshot,
    occurredAt: Date,
  ) {
    super(snapshot.orderId, occurredAt);
  }

  payload(): OrderSnapshot {
    return this.snapshot;
  }
}
