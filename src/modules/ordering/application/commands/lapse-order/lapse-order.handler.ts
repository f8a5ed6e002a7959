import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import type { TransactionalCommandHandler } from '../../../../../shared/application/transactional-command-handler.js';
import { OrderRepository } from '../../../domain/order.repository.js';
import { LapseOrderCommand } from './lapse-order.command.js';

/**
 * PENDING past ORDER_CONFIRMATION_TIMEOUT → REJECTED (`timeout`); CONFIRMED past ORDER_PAYMENT_TIMEOUT → EXPIRED.
 * The order is locked first, so when the timers of several instances pick the same order, the second finds it
 * already moved on and changes nothing: each order lapses once. Inventory releases its stock on the event.
 */
@CommandHandler(LapseOrderCommand)
export class LapseOrderHandler implements TransactionalCommandHandler<LapseOrderCommand, boolean> {
  constructor(
    private readonly orders: OrderRepository,
    private readonly clock: Clock,
  ) {}

  async execute(command: LapseOrderCommand): Promise<boolean> {
    const order = await this.orders.lock(command.orderId);
    if (order === undefined || !order.lapse(this.clock.now())) return false;
    await this.orders.save(order);
    return true;
  }
}
