import type { IntegrationEvent } from '../../../shared/application/integration-event.js';

/**
 * What other contexts (and broker consumers) may rely on about ordering's events. Every event carries the whole
 * order after the change, so a subscriber never reads ordering's tables: inventory reserves `lines` on
 * `order_placed` and releases on `order_rejected` / `order_cancelled` / `order_expired`, commits on
 * `order_shipped`; realtime pushes `status`. Events of one order are delivered in the order they happened.
 * A breaking change is a new version.
 */
export const ORDERING_EVENT_TYPES = {
  orderPlaced: 'ordering.order_placed',
  orderConfirmed: 'ordering.order_confirmed',
  orderRejected: 'ordering.order_rejected',
  orderCancelled: 'ordering.order_cancelled',
  orderExpired: 'ordering.order_expired',
  orderPaid: 'ordering.order_paid',
  orderShipped: 'ordering.order_shipped',
} as const;

export type OrderingEventType = (typeof ORDERING_EVENT_TYPES)[keyof typeof ORDERING_EVENT_TYPES];

export type OrderingStatus = 'PENDING' | 'CONFIRMED' | 'PAID' | 'SHIPPED' | 'REJECTED' | 'CANCELLED' | 'EXPIRED';

interface MoneyPayload {
  /** Integer minor units. */
  readonly amount: number;
  readonly currency: string;
}

/** The order after the change. `version` grows by one per change: a consumer can drop what it has seen. */
// A type, not an interface: payloads must be assignable to Record<string, unknown>.
export type OrderPayload = {
  readonly orderId: string;
  readonly userId: string;
  readonly status: OrderingStatus;
  readonly lines: readonly {
    readonly productId: string;
    readonly quantity: number;
    readonly unitPrice: MoneyPayload;
  }[];
  readonly subtotal: MoneyPayload;
  readonly discount: MoneyPayload;
  readonly total: MoneyPayload;
  readonly couponCode: string | null;
  /** Why the order is REJECTED (`out_of_stock`, `timeout`, `coupon_exhausted`), CANCELLED or EXPIRED; else null. */
  readonly reason: string | null;
  /** ISO-8601, UTC. */
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
};

export type OrderingEventPayloads = { readonly [T in OrderingEventType]: OrderPayload };

export type OrderingEvent<TType extends OrderingEventType = OrderingEventType> = IntegrationEvent<OrderPayload, TType>;

export const ORDERING_EVENT_VERSIONS: Readonly<Record<OrderingEventType, number>> = {
  'ordering.order_placed': 1,
  'ordering.order_confirmed': 1,
  'ordering.order_rejected': 1,
  'ordering.order_cancelled': 1,
  'ordering.order_expired': 1,
  'ordering.order_paid': 1,
  'ordering.order_shipped': 1,
};
