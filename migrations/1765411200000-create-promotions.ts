import { TableCheck, TableIndex, TableUnique, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createTable } from '../src/platform/persistence/migration-schema.js';

/**
 * Promotions' schema: coupons with their redemption counters, and one redemption row per order that asked for a
 * coupon. The CHECKs restate what the code keeps (counters never negative, exactly one kind of discount), so not
 * even a bug can store a negative count. Indexes follow the query paths: the code look-up of every order with a
 * coupon (unique), the admin list newest first, and the per-customer count the saga takes under the coupon lock.
 */
export class CreatePromotions1765411200000 implements MigrationInterface {
  name = 'CreatePromotions1765411200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createTable(queryRunner, {
      name: 'coupons',
      columns: [
        { name: 'id', type: 'varchar', length: '36', isPrimary: true },
        { name: 'code', type: 'varchar', length: '32' },
        { name: 'discount_percent', type: 'int', isNullable: true },
        { name: 'discount_amount', type: 'bigint', isNullable: true },
        { name: 'currency', type: 'varchar', length: '3' },
        { name: 'min_subtotal', type: 'bigint', isNullable: true },
        { name: 'valid_from', type: 'datetime', precision: 6, isNullable: true },
        { name: 'valid_until', type: 'datetime', precision: 6, isNullable: true },
        { name: 'max_redemptions', type: 'int', isNullable: true },
        { name: 'max_redemptions_per_user', type: 'int' },
        { name: 'status', type: 'varchar', length: '16' },
        { name: 'redemptions', type: 'int' },
        { name: 'pending_redemptions', type: 'int' },
        { name: 'version', type: 'int' },
        { name: 'created_at', type: 'datetime', precision: 6 },
        { name: 'updated_at', type: 'datetime', precision: 6 },
      ],
      uniques: [new TableUnique({ name: 'uq_coupons_code', columnNames: ['code'] })],
      checks: [
        new TableCheck({
          name: 'ck_coupons_counters',
          expression: 'redemptions >= 0 AND pending_redemptions >= 0',
        }),
        new TableCheck({
          name: 'ck_coupons_discount',
          expression:
            '(discount_percent IS NULL AND discount_amount IS NOT NULL) OR ' +
            '(discount_percent IS NOT NULL AND discount_amount IS NULL)',
        }),
      ],
      indices: [new TableIndex({ name: 'ix_coupons_created', columnNames: ['created_at', 'id'] })],
    });
    await createTable(queryRunner, {
      name: 'coupon_redemptions',
      columns: [
        { name: 'order_id', type: 'varchar', length: '36', isPrimary: true },
        { name: 'coupon_id', type: 'varchar', length: '36' },
        { name: 'code', type: 'varchar', length: '32' },
        { name: 'user_id', type: 'varchar', length: '36' },
        { name: 'status', type: 'varchar', length: '16' },
        { name: 'version', type: 'int' },
        { name: 'created_at', type: 'datetime', precision: 6 },
        { name: 'updated_at', type: 'datetime', precision: 6 },
      ],
      indices: [
        new TableIndex({ name: 'ix_coupon_redemptions_holder', columnNames: ['coupon_id', 'user_id', 'status'] }),
      ],
    });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('coupon_redemptions');
    await queryRunner.dropTable('coupons');
  }
}
