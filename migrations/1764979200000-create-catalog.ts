import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createTable } from '../src/platform/persistence/migration-schema.js';

/**
 * Catalog's schema: products. One index per query path of the product list (status × sort column, with the id as
 * the keyset tie-breaker), plus the unique SKU that also serves the exact-SKU search and the demo-data look-up.
 */
export class CreateCatalog1764979200000 implements MigrationInterface {
  name = 'CreateCatalog1764979200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createTable(queryRunner, {
      name: 'catalog_products',
      columns: [
        { name: 'id', type: 'varchar', length: '36', isPrimary: true },
        { name: 'sku', type: 'varchar', length: '64' },
        { name: 'name', type: 'varchar', length: '200' },
        { name: 'description', type: 'text' },
        { name: 'price_amount', type: 'bigint' },
        { name: 'price_currency', type: 'varchar', length: '3' },
        { name: 'status', type: 'varchar', length: '16' },
        { name: 'version', type: 'int' },
        { name: 'created_at', type: 'datetime', precision: 6 },
        { name: 'updated_at', type: 'datetime', precision: 6 },
      ],
      indices: [
        new TableIndex({ name: 'uq_catalog_products_sku', columnNames: ['sku'], isUnique: true }),
        new TableIndex({ name: 'ix_catalog_products_status_created', columnNames: ['status', 'created_at', 'id'] }),
        new TableIndex({ name: 'ix_catalog_products_status_name', columnNames: ['status', 'name', 'id'] }),
        new TableIndex({ name: 'ix_catalog_products_status_price', columnNames: ['status', 'price_amount', 'id'] }),
      ],
    });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('catalog_products');
  }
}
