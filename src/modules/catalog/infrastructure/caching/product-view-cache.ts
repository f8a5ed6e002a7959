import { Injectable } from '@nestjs/common';
import { CacheProvider, type Cache } from '../../../../platform/cache/cache.js';
import type { ProductView } from '../../application/product-view.js';

/**
 * Product pages are read far more often than products change, and every change invalidates its entry before the
 * write answers (ProductCacheInvalidation), so the TTL only bounds how long a copy survives a lost invalidation
 * (Redis down during the write): five minutes.
 */
export const PRODUCT_VIEW_TTL_MS = 5 * 60_000;

/** The cache of single-product views, shared by the read model and the catalog facade. */
@Injectable()
export class ProductViewCache {
  readonly cache: Cache<ProductView>;

  constructor(caches: CacheProvider) {
    this.cache = caches.create<ProductView>({ name: 'products', ttlMs: PRODUCT_VIEW_TTL_MS, maxLocalEntries: 10_000 });
  }
}
