import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Page } from '../../../../../shared/application/cursor.js';
import { ForbiddenError } from '../../../../../shared/domain/domain-error.js';
import type { OrderView } from '../../order-view.js';
import { OrderSummaryReadModel } from '../../ports/order-summary-read-model.js';
import { ListOrdersQuery } from './list-orders.query.js';

/**
 * Newest first. Customers list their own orders (naming another user is 403 40300, SPEC §4a); admins list
 * everyone's, or one user's with `?userId=`.
 */
@QueryHandler(ListOrdersQuery)
export class ListOrdersHandler implements IQueryHandler<ListOrdersQuery> {
  constructor(private readonly readModel: OrderSummaryReadModel) {}

  execute(query: ListOrdersQuery): Promise<Page<OrderView>> {
    const { viewer } = query;
    if (!viewer.isAdmin && query.userId !== undefined && query.userId !== viewer.id) {
      throw new ForbiddenError('Only admins may list other users’ orders');
    }
    return this.readModel.list({
      userId: viewer.isAdmin ? query.userId : viewer.id,
      limit: query.limit,
      cursor: query.cursor,
    });
  }
}
