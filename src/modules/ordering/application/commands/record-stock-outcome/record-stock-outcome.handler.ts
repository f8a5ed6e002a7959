import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import type { TransactionalCommandHandler } from '../../../../../shared/application/transactional-command-handler.js';
import { OrderRepository } from '../../../domain/order.repository.js';
import { OrderingSettings } from '../../ordering-settings.js';
import { RecordStockOutcomeCommand } from './record-stock-outcome.command.js';

/**
 * The saga's decision: stock reserved → CONFIRMED (the payment deadline starts), out of stock → REJECTED.
 * Only a PENDING order is decided. Any other status means the order moved on first (timed out, cancelled): then
 * nothing changes here, and the stock a late reservation took is released by inventory on that order's own
 * rejection or cancellation event, which it receives after `order_placed`. Re-delivery is therefore harmless.
 */
@CommandHandler(RecordStockOutcomeCommand)
export class RecordStockOutcomeHandler implements TransactionalCommandHandler<RecordStockOutcomeCommand, void> {
  constructor(
    private readonly orders: OrderRepository,
    private readonly settings: OrderingSettings,
    private readonly clock: Clock,
  ) {}

  async execute(command: RecordStockOutcomeCommand): Promise<void> {
    const order = await this.orders.lock(command.orderId);
    if (order?.currentStatus !== 'PENDING') return;
    if (command.outcome === 'reserved') order.confirm(this.clock.now(), this.settings.payWithinMs);
    else order.reject('out_of_stock', this.clock.now());
    await this.orders.save(order);
  }
}
