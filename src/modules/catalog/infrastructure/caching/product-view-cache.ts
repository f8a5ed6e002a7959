import { Injectable } from '@nestjs/common';
import { CacheProvider, type Cache } from '../../../../platform/cache/cache.js';
import type { ProductView } from '../../application/product-view.js';
import { TypeOrmProductReadModel } from '../persistence/typeorm-product.read-model.js';

/**
 * Product pages are read far more often than products change, and every change invalidates its entry before the
 * write answers (ProductCacheInvalidation), so the TTL only bounds how long a copy survives a lost invalidation
 * (Redis down during the write): five minutes.
 */
export const PRODUCT_VIEW_TTL_MS = 5 * 60_000;

/**
 * Single-product views, cache-aside: the one way the read model (`GET /products/:id`) and the catalog facade
 * (other contexts) read a product by id, and what product events invalidate.
 */
@Injectable()
export class ProductViewCache {
  private readonly cache: Cache<ProductView>;
  private readonly load = (id: string) => this.database.findById(id);

  constructor(
    caches: CacheProvider,
    private readonly database: TypeOrmProductReadModel,
  ) {
    this.cache = caches.create<ProductView>({ name: 'products', ttlMs: PRODUCT_VIEW_TTL_MS, maxLocalEntries: 10_000 });
  }

  /** One cache key per product whatever the spelling of its id (ids are stored lower-case). */
  find(id: string): Promise<ProductView | undefined> {
    return this.cache.get(id.toLowerCase(), this.load);
  }

  invalidate(id: string): Promise<void> {
    return this.cache.invalidate(id.toLowerCase());
  }
}
