import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Orders with a coupon wait for two saga participants (inventory and promotions) before they are confirmed, and
 * the answers arrive one at a time: `saga_awaiting` lists the participants a PENDING order still waits for
 * (comma-separated, e.g. `coupon,stock`), and is empty once the order is decided. Orders pending at the time of
 * this migration were placed without coupons and wait for inventory only.
 */
export class AddOrderSagaAwaiting1765497600000 implements MigrationInterface {
  name = 'AddOrderSagaAwaiting1765497600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'orders',
      new TableColumn({ name: 'saga_awaiting', type: 'varchar', length: '32', default: "''" }),
    );
    await queryRunner.query(`UPDATE orders SET saga_awaiting = 'stock' WHERE status = 'PENDING'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('orders', 'saga_awaiting');
  }
}
