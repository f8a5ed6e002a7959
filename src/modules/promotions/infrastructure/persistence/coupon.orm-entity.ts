import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Row shape of `coupons`. Money columns are minor units of `currency` (the shop's); the discount is a percentage
 * or an amount, exactly one of the two columns set.
 */
@Entity({ name: 'coupons' })
export class CouponOrmEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 32 })
  code: string;

  @Column({ name: 'discount_percent', type: 'int', nullable: true })
  discountPercent: number | null;

  @Column({ name: 'discount_amount', type: 'bigint', nullable: true })
  discountAmount: number | null;

  @Column({ type: 'varchar', length: 3 })
  currency: string;

  @Column({ name: 'min_subtotal', type: 'bigint', nullable: true })
  minSubtotal: number | null;

  @Column({ name: 'valid_from', type: 'datetime', precision: 6, nullable: true })
  validFrom: Date | null;

  @Column({ name: 'valid_until', type: 'datetime', precision: 6, nullable: true })
  validUntil: Date | null;

  @Column({ name: 'max_redemptions', type: 'int', nullable: true })
  maxRedemptions: number | null;

  @Column({ name: 'max_redemptions_per_user', type: 'int' })
  maxRedemptionsPerUser: number;

  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ type: 'int' })
  redemptions: number;

  @Column({ name: 'pending_redemptions', type: 'int' })
  pendingRedemptions: number;

  @Column({ type: 'int' })
  version: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 6 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 6 })
  updatedAt: Date;
}
