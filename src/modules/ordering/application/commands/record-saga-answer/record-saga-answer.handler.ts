import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import type { TransactionalCommandHandler } from '../../../../../shared/application/transactional-command-handler.js';
import { OrderRepository } from '../../../domain/order.repository.js';
import { OrderingSettings } from '../../ordering-settings.js';
import { RecordSagaAnswerCommand } from './record-saga-answer.command.js';

/**
 * The saga's decision, one participant's answer at a time (Order.recordReservation / recordRefusal): the last
 * reservation awaited confirms the order, the first refusal rejects it. The order's row lock serialises the
 * answers of inventory and promotions, which arrive concurrently. An order that moved on first (timed out,
 * cancelled, rejected by the other participant) is left alone, and whatever a late reservation took is released
 * by its participant on the order's own end event, which it receives after `order_placed`. Re-delivery is harmless.
 */
@CommandHandler(RecordSagaAnswerCommand)
export class RecordSagaAnswerHandler implements TransactionalCommandHandler<RecordSagaAnswerCommand, void> {
  constructor(
    private readonly orders: OrderRepository,
    private readonly settings: OrderingSettings,
    private readonly clock: Clock,
  ) {}

  async execute(command: RecordSagaAnswerCommand): Promise<void> {
    const order = await this.orders.lock(command.orderId);
    if (order === undefined) return;
    if (command.answer === 'reserved') {
      order.recordReservation(command.participant, this.clock.now(), this.settings.payWithinMs);
    } else {
      order.recordRefusal(command.participant, this.clock.now());
    }
    await this.orders.save(order);
  }
}
