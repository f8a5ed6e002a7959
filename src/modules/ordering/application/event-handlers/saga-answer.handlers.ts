import { CommandBus } from '@nestjs/cqrs';
import { OnIntegrationEvent, type IntegrationEventHandler } from '../../../../shared/application/integration-event.js';
import { INVENTORY_EVENT_TYPES, type InventoryEvent } from '../../../inventory/contracts/index.js';
import { PROMOTIONS_EVENT_TYPES, type PromotionsEvent } from '../../../promotions/contracts/index.js';
import { RecordSagaAnswerCommand } from '../commands/record-saga-answer/record-saga-answer.command.js';

// The ordering side of the saga (README "Life of an order"): each participant's answer to `ordering.order_placed`
// is handed to RecordSagaAnswerCommand. Each runs in the relay's transaction with its inbox row, so the answer and
// "handled" commit together; a re-delivered answer changes nothing.

type StockAnswer = InventoryEvent<'inventory.stock_reserved'> | InventoryEvent<'inventory.stock_reservation_failed'>;

/** Inventory: every line reserved, or none. */
@OnIntegrationEvent([INVENTORY_EVENT_TYPES.stockReserved, INVENTORY_EVENT_TYPES.stockReservationFailed], {
  name: 'ordering.stock-reservation-outcome',
})
export class StockAnswerHandler implements IntegrationEventHandler<StockAnswer> {
  constructor(private readonly commands: CommandBus) {}

  async handle(event: StockAnswer): Promise<void> {
    const answer = event.type === INVENTORY_EVENT_TYPES.stockReserved ? 'reserved' : 'refused';
    await this.commands.execute(new RecordSagaAnswerCommand(event.payload.orderId, 'stock', answer));
  }
}

type CouponAnswer =
  PromotionsEvent<'promotions.redemption_reserved'> | PromotionsEvent<'promotions.redemption_refused'>;

/** Promotions: a redemption of the order's coupon held, or the coupon used up. */
@OnIntegrationEvent([PROMOTIONS_EVENT_TYPES.redemptionReserved, PROMOTIONS_EVENT_TYPES.redemptionRefused], {
  name: 'ordering.coupon-redemption-outcome',
})
export class CouponAnswerHandler implements IntegrationEventHandler<CouponAnswer> {
  constructor(private readonly commands: CommandBus) {}

  async handle(event: CouponAnswer): Promise<void> {
    const answer = event.type === PROMOTIONS_EVENT_TYPES.redemptionReserved ? 'reserved' : 'refused';
    await this.commands.execute(new RecordSagaAnswerCommand(event.payload.orderId, 'coupon', answer));
  }
}
