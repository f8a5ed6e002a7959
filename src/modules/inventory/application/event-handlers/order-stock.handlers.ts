import { OnIntegrationEvent, type IntegrationEventHandler } from '../../../../shared/application/integration-event.js';
import { ORDERING_EVENT_TYPES, type OrderingEvent } from '../../../ordering/contracts/index.js';
import { InventoryReservations } from '../reservations/inventory-reservations.js';

/**
 * Inventory's part of the order saga (SPEC §3): it learns about orders only from ordering's events. Each handler
 * runs in the relay's transaction with its inbox row, and the reservation is keyed by the order id, so a
 * re-delivered event finds its first decision. One order's events arrive in the order they happened, so a
 * release always follows the reservation it undoes, even when the order was cancelled or timed out before
 * inventory got to it.
 */
@OnIntegrationEvent(ORDERING_EVENT_TYPES.orderPlaced, { name: 'inventory.reserve-order-stock' })
export class ReserveOrderStockHandler implements IntegrationEventHandler<OrderingEvent<'ordering.order_placed'>> {
  constructor(private readonly reservations: InventoryReservations) {}

  async handle(event: OrderingEvent<'ordering.order_placed'>): Promise<void> {
    // All lines or none; the answer leaves as inventory.stock_reserved / stock_reservation_failed.
    await this.reservations.reserve(event.payload.orderId, event.payload.lines);
  }
}

type OrderEnded =
  | OrderingEvent<'ordering.order_rejected'>
  | OrderingEvent<'ordering.order_cancelled'>
  | OrderingEvent<'ordering.order_expired'>;

/** A rejected, cancelled or expired order gives back what it holds (nothing, if it never held anything). */
@OnIntegrationEvent(
  [ORDERING_EVENT_TYPES.orderRejected, ORDERING_EVENT_TYPES.orderCancelled, ORDERING_EVENT_TYPES.orderExpired],
  { name: 'inventory.release-order-stock' },
)
export class ReleaseOrderStockHandler implements IntegrationEventHandler<OrderEnded> {
  constructor(private readonly reservations: InventoryReservations) {}

  async handle(event: OrderEnded): Promise<void> {
    await this.reservations.release(event.payload.orderId);
  }
}

/** A shipped order's units leave the warehouse: reserved and on-hand both drop. */
@OnIntegrationEvent(ORDERING_EVENT_TYPES.orderShipped, { name: 'inventory.commit-order-stock' })
export class CommitOrderStockHandler implements IntegrationEventHandler<OrderingEvent<'ordering.order_shipped'>> {
  constructor(private readonly reservations: InventoryReservations) {}

  async handle(event: OrderingEvent<'ordering.order_shipped'>): Promise<void> {
    await this.reservations.commit(event.payload.orderId);
  }
}
