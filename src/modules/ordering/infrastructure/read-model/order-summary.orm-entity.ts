import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Row shape of `order_summaries`, the read model: one row per order holding the API's view of it. `view` is the
 * OrderView JSON (what GET answers, lines included); the columns beside it are what the lists filter and sort on.
 */
@Entity({ name: 'order_summaries' })
export class OrderSummaryOrmEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ type: 'text' })
  view: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 6 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 6 })
  updatedAt: Date;
}
