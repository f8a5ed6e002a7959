import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row shape of inventory_movements: the append-only audit trail of every stock change. */
@Entity({ name: 'inventory_movements' })
export class StockMovementOrmEntity {
  /** UUID v7: the movements of a product read in order by (product_id, id). */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'product_id', type: 'varchar', length: 36 })
  productId: string;

  @Column({ type: 'varchar', length: 16 })
  kind: string;

  @Column({ name: 'on_hand_delta', type: 'int' })
  onHandDelta: number;

  @Column({ name: 'reserved_delta', type: 'int' })
  reservedDelta: number;

  @Column({ name: 'on_hand_after', type: 'int' })
  onHandAfter: number;

  @Column({ name: 'reserved_after', type: 'int' })
  reservedAfter: number;

  @Column({ name: 'order_id', type: 'varchar', length: 36, nullable: true })
  orderId: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 6 })
  createdAt: Date;
}
