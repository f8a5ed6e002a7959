import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import type { TransactionalCommandHandler } from '../../../../../shared/application/transactional-command-handler.js';
import { NotFoundError } from '../../../../../shared/domain/domain-error.js';
import { OrderRepository } from '../../../domain/order.repository.js';
import { toOrderView, type OrderView } from '../../order-view.js';
import { CancelOrderCommand } from './cancel-order.command.js';

/**
 * Cancels a PENDING or CONFIRMED order (PAID ones are refunded by the wallet work). The stock held for it is given
 * back by inventory when it receives `ordering.order_cancelled` — after it has handled this order's
 * `order_placed`, since one order's events arrive in order, so a reservation made late is released too.
 * Another user's order is 404, exactly like a missing one.
 */
@CommandHandler(CancelOrderCommand)
export class CancelOrderHandler implements TransactionalCommandHandler<CancelOrderCommand, OrderView> {
  constructor(
    private readonly orders: OrderRepository,
    private readonly clock: Clock,
  ) {}

  async execute(command: CancelOrderCommand): Promise<OrderView> {
    const order = await this.orders.lock(command.orderId);
    const own = order?.ownerId === command.actor.id;
    if (order === undefined || (!own && !command.actor.isAdmin)) throw new NotFoundError('Order');
    order.cancel(own ? 'cancelled_by_customer' : 'cancelled_by_admin', this.clock.now());
    await this.orders.save(order);
    return toOrderView(order.snapshot());
  }
}
