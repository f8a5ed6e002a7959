import type { Page } from '../../../../shared/application/cursor.js';
import type { ProductStatus } from '../../domain/product-status.js';
import type { ProductView } from '../product-view.js';

export const PRODUCT_SORT_FIELDS = ['name', 'price', 'createdAt'] as const;

export type ProductSortField = (typeof PRODUCT_SORT_FIELDS)[number];

export interface ProductSort {
  readonly field: ProductSortField;
  readonly descending: boolean;
}

export interface ProductListFilter {
  /** Case-insensitive substring of the name, or an exact SKU. */
  readonly q?: string;
  /** Inclusive bounds, integer minor units. */
  readonly minPrice?: number;
  readonly maxPrice?: number;
  readonly status: ProductStatus;
  readonly sort: ProductSort;
  readonly limit: number;
  readonly cursor?: string;
}

/** Port: product reads for queries (views, no aggregates). */
export abstract class ProductReadModel {
  abstract findById(id: string): Promise<ProductView | undefined>;
  abstract list(filter: ProductListFilter): Promise<Page<ProductView>>;
}
