import type { CatalogProductStatus } from './catalog.integration-events.js';

/** A product as other contexts see it: what inventory checks and what ordering prices an order with. */
export interface CatalogProduct {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly price: { readonly amount: number; readonly currency: string };
  readonly status: CatalogProductStatus;
  readonly version: number;
}

/**
 * Catalog's synchronous facade (SPEC §3: a facade interface + DI token where another context needs an answer now).
 * Provided by the catalog module, which is global for this token only; consumers inject `ProductCatalog`.
 * Reads are served from catalog's cache, so calling it on a hot path costs a cache hit, not a query.
 */
export abstract class ProductCatalog {
  /** The product, archived or not; undefined when there is no such product. */
  abstract find(productId: string): Promise<CatalogProduct | undefined>;
  /** Several products in one round trip (no N+1); unknown ids are absent from the map. */
  abstract findMany(productIds: readonly string[]): Promise<ReadonlyMap<string, CatalogProduct>>;
  /** By SKU, in any case (SKUs are stored upper-case); undefined when no product has it. */
  abstract findBySku(sku: string): Promise<CatalogProduct | undefined>;
}
