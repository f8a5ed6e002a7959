import { Injectable } from '@nestjs/common';
import type { ProductView } from '../application/product-view.js';
import { ProductCatalog, type CatalogProduct } from '../contracts/product-catalog.js';
import { Sku } from '../domain/sku.value-object.js';
import { ProductViewCache } from './caching/product-view-cache.js';
import { TypeOrmProductReadModel } from './persistence/typeorm-product.read-model.js';

function toCatalogProduct(view: ProductView): CatalogProduct {
  return { id: view.id, sku: view.sku, name: view.name, price: view.price, status: view.status, version: view.version };
}

/**
 * The facade other contexts call (`catalog/contracts`). Products by id come through the same cache as
 * `GET /products/:id` (inventory asks on every stock read, ordering on every order).
 */
@Injectable()
export class CatalogFacade extends ProductCatalog {
  constructor(
    private readonly database: TypeOrmProductReadModel,
    private readonly views: ProductViewCache,
  ) {
    super();
  }

  async find(productId: string): Promise<CatalogProduct | undefined> {
    const view = await this.views.find(productId);
    return view === undefined ? undefined : toCatalogProduct(view);
  }

  async findMany(productIds: readonly string[]): Promise<ReadonlyMap<string, CatalogProduct>> {
    // Each id through the cache, side by side: an order's few products are in-process or Redis hits, where one
    // batched query would reach the database on every order (measured: the order bench's most frequent read).
    const views = await Promise.all([...new Set(productIds)].map((id) => this.views.find(id)));
    return new Map(
      views.filter((view) => view !== undefined).map((view) => [view.id, toCatalogProduct(view)] as const),
    );
  }

  async findBySku(sku: string): Promise<CatalogProduct | undefined> {
    const canonical = Sku.parse(sku);
    const view = canonical === undefined ? undefined : await this.database.findBySku(canonical.value);
    return view === undefined ? undefined : toCatalogProduct(view);
  }
}
