import type { IntegrationEvent } from '../../../shared/application/integration-event.js';

/**
 * What other contexts (and consumers of the broker) may rely on about inventory's events. `stock_changed` follows
 * every change of a product's stock (realtime pushes it to `product:<id>` subscribers); the reservation events
 * answer an order's reservation (the ordering saga listens to them). A breaking change is a new version.
 */
export const INVENTORY_EVENT_TYPES = {
  stockChanged: 'inventory.stock_changed',
  stockReserved: 'inventory.stock_reserved',
  stockReservationFailed: 'inventory.stock_reservation_failed',
  stockReleased: 'inventory.stock_released',
  stockCommitted: 'inventory.stock_committed',
} as const;

export interface InventoryEventPayloads {
  'inventory.stock_changed': {
    readonly productId: string;
    readonly onHand: number;
    readonly reserved: number;
    readonly available: number;
  };
  /** Every line of the order is reserved; lines are merged per product, in product-id order. */
  'inventory.stock_reserved': {
    readonly orderId: string;
    readonly lines: readonly { readonly productId: string; readonly quantity: number }[];
  };
  /** Nothing was reserved for the order. */
  'inventory.stock_reservation_failed': {
    readonly orderId: string;
    readonly reason: 'out_of_stock';
    readonly shortages: readonly {
      readonly productId: string;
      readonly requested: number;
      readonly available: number;
    }[];
  };
  'inventory.stock_released': { readonly orderId: string };
  'inventory.stock_committed': { readonly orderId: string };
}

export type InventoryEventType = keyof InventoryEventPayloads;

export type InventoryEvent<TType extends InventoryEventType> = IntegrationEvent<InventoryEventPayloads[TType], TType>;

export const INVENTORY_EVENT_VERSIONS: Readonly<Record<InventoryEventType, number>> = {
  'inventory.stock_changed': 1,
  'inventory.stock_reserved': 1,
  'inventory.stock_reservation_failed': 1,
  'inventory.stock_released': 1,
  'inventory.stock_committed': 1,
};
