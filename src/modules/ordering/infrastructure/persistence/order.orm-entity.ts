import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row shape of `orders`, the write side (amounts in minor units of `currency`). */
@Entity({ name: 'orders' })
export class OrderOrmEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ type: 'varchar', length: 3 })
  currency: string;

  @Column({ type: 'bigint' })
  subtotal: number;

  @Column({ type: 'bigint' })
  discount: number;

  @Column({ name: 'coupon_code', type: 'varchar', length: 32, nullable: true })
  couponCode: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  reason: string | null;

  /** When the timer acts: see Order.lapse. Indexed (see the migration): the timers' work list is a range scan of it. */
  @Column({ name: 'deadline_at', type: 'datetime', precision: 6, nullable: true })
  deadlineAt: Date | null;

  /** The saga participants a PENDING order still waits for, comma-separated (`coupon,stock`); '' once decided. */
  @Column({ name: 'saga_awaiting', type: 'varchar', length: 32, default: '' })
  sagaAwaiting: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 6 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 6 })
  updatedAt: Date;
}
