import { Query } from '@nestjs/cqrs';
import type { Page } from '../../../../../shared/application/cursor.js';
import type { ProductListFilter } from '../../ports/product-read-model.js';
import type { ProductView } from '../../product-view.js';

export class ListProductsQuery extends Query<Page<ProductView>> {
  constructor(
    readonly filter: ProductListFilter,
    /** Roles of the caller, or undefined for an anonymous shopper. */
    readonly viewerRoles: readonly string[] | undefined,
  ) {
    super();
  }
}
