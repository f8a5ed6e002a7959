import {
  StockChanged,
  StockCommitted,
  StockReleased,
  StockReservationFailed,
  StockReserved,
} from '../domain/inventory.events.js';
import {
  INVENTORY_EVENT_TYPES,
  INVENTORY_EVENT_VERSIONS,
  type InventoryEventPayloads,
  type InventoryEventType,
} from './inventory.integration-events.js';

const at = new Date('2026-12-01T10:00:00Z');
const productId = '0193a0a0-0000-7000-8000-00000000000a';
const orderId = '0193a0a0-0000-7000-8000-0000000000bb';

/** Holds inventory's domain events to its published contract (types, versions, exact payload fields). */
describe('inventory integration-event contracts', () => {
  const published: { [T in InventoryEventType]: { type: T; version: number; payload: InventoryEventPayloads[T] } } = {
    'inventory.stock_changed': fromDomain(new StockChanged(productId, at, 10, 4)),
    'inventory.stock_reserved': fromDomain(new StockReserved(orderId, at, [{ productId, quantity: 2 }])),
    'inventory.stock_reservation_failed': fromDomain(
      new StockReservationFailed(orderId, at, [{ productId, requested: 3, available: 1 }]),
    ),
    'inventory.stock_released': fromDomain(new StockReleased(orderId, at)),
    'inventory.stock_committed': fromDomain(new StockCommitted(orderId, at)),
  };

  it('declares every event type inventory records, at the version it publishes', () => {
    expect(Object.keys(published).sort()).toEqual(Object.values(INVENTORY_EVENT_TYPES).sort());
    for (const [type, event] of Object.entries(published)) {
      expect(event.type).toBe(type);
      expect(event.version).toBe(INVENTORY_EVENT_VERSIONS[type as InventoryEventType]);
    }
  });

  it('publishes exactly the contract fields', () => {
    expect(published['inventory.stock_changed'].payload).toEqual({ productId, onHand: 10, reserved: 4, available: 6 });
    expect(published['inventory.stock_reserved'].payload).toEqual({ orderId, lines: [{ productId, quantity: 2 }] });
    expect(published['inventory.stock_reservation_failed'].payload).toEqual({
      orderId,
      reason: 'out_of_stock',
      shortages: [{ productId, requested: 3, available: 1 }],
    });
    expect(published['inventory.stock_released'].payload).toEqual({ orderId });
    expect(published['inventory.stock_committed'].payload).toEqual({ orderId });
  });

  it('payloads survive the JSON round trip of the outbox unchanged', () => {
    for (const event of Object.values(published)) {
      expect(JSON.parse(JSON.stringify(event.payload))).toEqual(event.payload);
    }
  });
});

function fromDomain<T extends InventoryEventType>(event: {
  type: T;
  version: number;
  payload(): unknown;
}): { type: T; version: number; payload: InventoryEventPayloads[T] } {
  return { type: event.type, version: event.version, payload: event.payload() as InventoryEventPayloads[T] };
}
