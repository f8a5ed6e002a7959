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
  private readonly load = (id: string) => this.database.findById(id);

  constructor(
    private readonly database: TypeOrmProductReadModel,
    private readonly views: ProductViewCache,
  ) {
    super();
  }

  /** One cache key per product whatever the spelling of its id (ids are stored lower-case). */
  findById(id: string): Promise<ProductView | undefined> {
    return this.views.cache.get(id.toLowerCase(), this.load);
  }

  list(filter: ProductListFilter): Promise<Page<ProductView>> {
    return this.database.list(filter);
  }
}
