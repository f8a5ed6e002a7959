import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row shape of `coupon_redemptions`: one row per order that asked for a coupon, keyed by the order id. */
@Entity({ name: 'coupon_redemptions' })
export class RedemptionOrmEntity {
  @PrimaryColumn({ name: 'order_id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'coupon_id', type: 'varchar', length: 36 })
  couponId: string;

  @Column({ type: 'varchar', length: 32 })
  code: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 6 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 6 })
  updatedAt: Date;
}
