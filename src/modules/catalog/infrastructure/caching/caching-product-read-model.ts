import { Injectable } from '@nestjs/common';
import type { Page } from '../../../../shared/application/cursor.js';
import { ProductReadModel, type ProductListFilter } from '../../application/ports/product-read-model.js';
import type { ProductView } from '../../application/product-view.js';
import { TypeOrmProductReadModel } from '../persistence/typeorm-product.read-model.js';
import { ProductViewCache } from './product-view-cache.js';

/**
 * `GET /products/:id` cache-aside (SPEC §3): single products come from the cache; lists always go to the database
 * (their many filter combinations would make poor cache keys, and the keyset query is an index range scan).
 */
@Injectable()
export class CachingProductReadModel extends ProductReadModel {
  constructor(
    private readonly database: TypeOrmProductReadModel,
    private readonly views: ProductViewCache,
  ) {
    super();
  }

  findById(id: string): Promise<ProductView | undefined> {
    return this.views.find(id);
  }

  list(filter: ProductListFilter): Promise<Page<ProductView>> {
    return this.database.list(filter);
  }
}
