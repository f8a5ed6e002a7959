import { Money } from '../../../../shared/domain/money.js';
import type { ProductView } from '../../application/product-view.js';
import { Product } from '../../domain/product.aggregate.js';
import { isProductStatus, type ProductStatus } from '../../domain/product-status.js';
import { ProductOrmEntity } from './product.orm-entity.js';

/** Translates between the catalog_products row and the Product aggregate / ProductView. */
export const ProductMapper = {
  toDomain: (row: ProductOrmEntity): Product =>
    Product.restore({
      id: row.id,
      sku: row.sku,
      name: row.name,
      description: row.description,
      price: Money.of(Number(row.priceAmount), row.priceCurrency),
      status: parseStatus(row.status),
      version: row.version,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    }),

  toRow: (product: Product): ProductOrmEntity => {
    const state = product.snapshot();
    const row = new ProductOrmEntity();
    row.id = state.id;
    row.sku = state.sku;
    row.name = state.name;
    row.description = state.description;
    row.priceAmount = state.price.amount;
    row.priceCurrency = state.price.currency;
    row.status = state.status;
    row.version = state.version;
    row.createdAt = state.createdAt;
    row.updatedAt = state.updatedAt;
    return row;
  },

  toView: (row: ProductOrmEntity): ProductView => ({
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    price: { amount: Number(row.priceAmount), currency: row.priceCurrency },
    status: parseStatus(row.status),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }),
};

function parseStatus(raw: string): ProductStatus {
  if (isProductStatus(raw)) return raw;
  throw new Error(`catalog_products.status holds an unknown value "${raw}"`);
}
