export {
  INVENTORY_EVENT_TYPES,
  INVENTORY_EVENT_VERSIONS,
  type InventoryEvent,
  type InventoryEventPayloads,
  type InventoryEventType,
} from './inventory.integration-events.js';
export { StockReservations, type ReservationLine, type ReservationOutcome } from './stock-reservations.js';
