import type { Product } from './product.aggregate.js';

/** Port: where products are kept. The adapter lives in infrastructure/persistence. */
export abstract class ProductRepository {
  abstract findById(id: string): Promise<Product | undefined>;
  /** Inserts or updates (optimistic locking on `version`); a taken SKU → SkuTakenError (409 40900). */
  abstract save(product: Product): Promise<void>;
}
