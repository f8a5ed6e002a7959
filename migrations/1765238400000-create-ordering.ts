import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createTable } from '../src/platform/persistence/migration-schema.js';

/**
 * Ordering's schema: orders and their lines (the write side) and `order_summaries` (the read model the API lists
 * and reads from). Indexes follow the query paths: the timers' range scan of `deadline_at`, a user's orders newest
 * first, everyone's orders newest first (admins).
 */
export class CreateOrdering1765238400000 implements MigrationInterface {
  name = 'CreateOrdering1765238400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createTable(queryRunner, {
      name: 'orders',
      columns: [
        { name: 'id', type: 'varchar', length: '36', isPrimary: true },
        { name: 'user_id', type: 'varchar', length: '36' },
        { name: 'status', type: 'varchar', length: '16' },
        { name: 'currency', type: 'varchar', length: '3' },
        { name: 'subtotal', type: 'bigint' },
        { name: 'discount', type: 'bigint' },
        { name: 'coupon_code', type: 'varchar', length: '32', isNullable: true },
        { name: 'reason', type: 'varchar', length: '32', isNullable: true },
        { name: 'deadline_at', type: 'datetime', precision: 6, isNullable: true },
        { name: 'version', type: 'int' },
        { name: 'created_at', type: 'datetime', precision: 6 },
        { name: 'updated_at', type: 'datetime', precision: 6 },
      ],
      indices: [
        // The timers: `deadline_at <= now ORDER BY deadline_at` (final orders hold NULL and are never scanned).
        new TableIndex({ name: 'ix_orders_deadline', columnNames: ['deadline_at'] }),
        new TableIndex({ name: 'ix_orders_user', columnNames: ['user_id', 'created_at'] }),
      ],
    });
    await createTable(queryRunner, {
      name: 'order_lines',
      columns: [
        { name: 'order_id', type: 'varchar', length: '36', isPrimary: true },
        { name: 'line_no', type: 'int', isPrimary: true },
        { name: 'product_id', type: 'varchar', length: '36' },
        { name: 'quantity', type: 'int' },
        { name: 'unit_price', type: 'bigint' },
      ],
    });
    await createTable(queryRunner, {
      name: 'order_summaries',
      columns: [
        { name: 'id', type: 'varchar', length: '36', isPrimary: true },
        { name: 'user_id', type: 'varchar', length: '36' },
        { name: 'status', type: 'varchar', length: '16' },
        { name: 'view', type: 'text' },
        { name: 'version', type: 'int' },
        { name: 'created_at', type: 'datetime', precision: 6 },
        { name: 'updated_at', type: 'datetime', precision: 6 },
      ],
      indices: [
        new TableIndex({ name: 'ix_order_summaries_user', columnNames: ['user_id', 'created_at', 'id'] }),
        new TableIndex({ name: 'ix_order_summaries_created', columnNames: ['created_at', 'id'] }),
      ],
    });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('order_summaries');
    await queryRunner.dropTable('order_lines');
    await queryRunner.dropTable('orders');
  }
}
