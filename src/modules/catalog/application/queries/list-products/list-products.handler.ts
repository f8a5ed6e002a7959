import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Page } from '../../../../../shared/application/cursor.js';
import { ForbiddenError, UnauthenticatedError } from '../../../../../shared/domain/domain-error.js';
import { ProductReadModel } from '../../ports/product-read-model.js';
import type { ProductView } from '../../product-view.js';
import { ListProductsQuery } from './list-products.query.js';

/** The shop window: active products for everyone; archived ones only when an admin asks (`status=archived`). */
@QueryHandler(ListProductsQuery)
export class ListProductsHandler implements IQueryHandler<ListProductsQuery> {
  constructor(private readonly readModel: ProductReadModel) {}

  execute(query: ListProductsQuery): Promise<Page<ProductView>> {
    if (query.filter.status === 'archived') {
      if (query.viewerRoles === undefined)
        throw new UnauthenticatedError('Sign in as an admin to list archived products');
      if (!query.viewerRoles.includes('admin')) throw new ForbiddenError('Only admins may list archived products');
    }
    return this.readModel.list(query.filter);
  }
}
