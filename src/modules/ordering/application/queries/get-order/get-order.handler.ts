import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '../../../../../shared/domain/domain-error.js';
import type { OrderView } from '../../order-view.js';
import { OrderSummaryReadModel } from '../../ports/order-summary-read-model.js';
import { GetOrderQuery } from './get-order.query.js';

/** One order from the read model. Someone else's order answers exactly like a missing one (404, SPEC §4a). */
@QueryHandler(GetOrderQuery)
export class GetOrderHandler implements IQueryHandler<GetOrderQuery> {
  constructor(private readonly readModel: OrderSummaryReadModel) {}

  async execute(query: GetOrderQuery): Promise<OrderView> {
    const order = await this.readModel.find(query.orderId);
    if (order === undefined || (order.userId !== query.viewer.id && !query.viewer.isAdmin)) {
      throw new NotFoundError('Order');
    }
    return order;
  }
}
