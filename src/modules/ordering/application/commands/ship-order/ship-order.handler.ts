import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import type { TransactionalCommandHandler } from '../../../../../shared/application/transactional-command-handler.js';
import { NotFoundError } from '../../../../../shared/domain/domain-error.js';
import { OrderRepository } from '../../../domain/order.repository.js';
import { toOrderView, type OrderView } from '../../order-view.js';
import { ShipOrderCommand } from './ship-order.command.js';

/**
 * Admin: a PAID order leaves the warehouse. Inventory takes the reserved units off `onHand` when it receives
 * `ordering.order_shipped`. Any other status is 422 42204.
 */
@CommandHandler(ShipOrderCommand)
export class ShipOrderHandler implements TransactionalCommandHandler<ShipOrderCommand, OrderView> {
  constructor(
    private readonly orders: OrderRepository,
    private readonly clock: Clock,
  ) {}

  async execute(command: ShipOrderCommand): Promise<OrderView> {
    const order = await this.orders.lock(command.orderId);
    if (order === undefined) throw new NotFoundError('Order');
    order.ship(this.clock.now());
    await this.orders.save(order);
    return toOrderView(order.snapshot());
  }
}
