import type { Product } from '../domain/product.aggregate.js';
import type { ProductStatus } from '../domain/product-status.js';

/** A product as the API shows it (and as the cache stores it: JSON-safe, no class instances). */
export interface ProductView {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly price: { readonly amount: number; readonly currency: string };
  readonly status: ProductStatus;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function toProductView(product: Product): ProductView {
  const state = product.snapshot();
  return {
    id: state.id,
    sku: state.sku,
    name: state.name,
    description: state.description,
    price: state.price.toJSON(),
    status: state.status,
    version: state.version,
    createdAt: state.createdAt.toISOString(),
    updatedAt: state.updatedAt.toISOString(),
  };
}
