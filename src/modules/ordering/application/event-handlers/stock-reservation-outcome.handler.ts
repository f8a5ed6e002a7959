import { CommandBus } from '@nestjs/cqrs';
import { OnIntegrationEvent, type IntegrationEventHandler } from '../../../../shared/application/integration-event.js';
import { INVENTORY_EVENT_TYPES, type InventoryEvent } from '../../../inventory/contracts/index.js';
import { RecordStockOutcomeCommand } from '../commands/record-stock-outcome/record-stock-outcome.command.js';

type Outcome = InventoryEvent<'inventory.stock_reserved'> | InventoryEvent<'inventory.stock_reservation_failed'>;

/**
 * The ordering side of the saga (README "Life of an order"): inventory's answer to `ordering.order_placed`
 * decides the order. Runs in the relay's transaction with its inbox row, so the decision and "handled" commit
 * together; a re-delivered answer finds the order no longer PENDING and changes nothing.
 */
@OnIntegrationEvent([INVENTORY_EVENT_TYPES.stockReserved, INVENTORY_EVENT_TYPES.stockReservationFailed], {
  name: 'ordering.stock-reservation-outcome',
})
export class StockReservationOutcomeHandler implements IntegrationEventHandler<Outcome> {
  constructor(private readonly commands: CommandBus) {}

  async handle(event: Outcome): Promise<void> {
    const outcome = event.type === INVENTORY_EVENT_TYPES.stockReserved ? 'reserved' : 'out_of_stock';
    await this.commands.execute(new RecordStockOutcomeCommand(event.payload.orderId, outcome));
  }
}
