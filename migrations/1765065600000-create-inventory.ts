import { TableCheck, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createTable } from '../src/platform/persistence/migration-schema.js';

/**
 * Inventory's schema: stock per product, the append-only movement log, and reservations per order. The CHECK
 * constraints restate the stock invariant (0 ≤ reserved ≤ on_hand) in the database itself: MariaDB ≥ 10.2 and
 * SQLite enforce them, so no code path — not even a bug — can store an oversold row.
 */
export class CreateInventory1765065600000 implements MigrationInterface {
  name = 'CreateInventory1765065600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createTable(queryRunner, {
      name: 'inventory_stock',
      columns: [
        { name: 'product_id', type: 'varchar', length: '36', isPrimary: true },
        { name: 'on_hand', type: 'int' },
        { name: 'reserved', type: 'int' },
        { name: 'version', type: 'int' },
        { name: 'updated_at', type: 'datetime', precision: 6 },
      ],
      checks: [
        new TableCheck({ name: 'ck_inventory_stock_reserved', expression: 'reserved >= 0 AND reserved <= on_hand' }),
      ],
    });
    await createTable(queryRunner, {
      name: 'inventory_movements',
      columns: [
        { name: 'id', type: 'varchar', length: '36', isPrimary: true },
        { name: 'product_id', type: 'varchar', length: '36' },
        { name: 'kind', type: 'varchar', length: '16' },
        { name: 'on_hand_delta', type: 'int' },
        { name: 'reserved_delta', type: 'int' },
        { name: 'on_hand_after', type: 'int' },
        { name: 'reserved_after', type: 'int' },
        { name: 'order_id', type: 'varchar', length: '36', isNullable: true },
        { name: 'reason', type: 'varchar', length: '200', isNullable: true },
        { name: 'created_at', type: 'datetime', precision: 6 },
      ],
      indices: [
        // A product's audit trail in order; an order's movements (what a reservation took and gave back).
        new TableIndex({ name: 'ix_inventory_movements_product', columnNames: ['product_id', 'id'] }),
        new TableIndex({ name: 'ix_inventory_movements_order', columnNames: ['order_id'] }),
      ],
    });
    await createTable(queryRunner, {
      name: 'inventory_reservations',
      columns: [
        { name: 'order_id', type: 'varchar', length: '36', isPrimary: true },
        { name: 'status', type: 'varchar', length: '16' },
        { name: 'lines', type: 'text' },
        { name: 'shortages', type: 'text' },
        { name: 'version', type: 'int' },
        { name: 'created_at', type: 'datetime', precision: 6 },
        { name: 'updated_at', type: 'datetime', precision: 6 },
      ],
    });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('inventory_reservations');
    await queryRunner.dropTable('inventory_movements');
    await queryRunner.dropTable('inventory_stock');
  }
}
