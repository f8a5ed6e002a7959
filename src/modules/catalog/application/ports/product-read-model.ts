import type { Page } from '../../../../shared/application/cursor.js';
import type { ProductStatus } from '../../domain/product-status.js';
import type { ProductView } from '../product-view.js';

export const PRODUCT_SORT_FIELDS = ['name', 'price', 'createdAt'] as const;

/**
 * The longest product cursor: sorted by name, the cursor carries the last name (up to 200 UTF-16 units: up to
 * 1.2 KB of JSON once escaped, ~1.6 K characters of base64url), beyond the shared codec's 512. The list's `cursor`
 * parameter allows as much (ListProductsQueryParams) and the read model decodes as much.
 */
export const PRODUCT_CURSOR_MAX_LENGTH = 2048;
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
