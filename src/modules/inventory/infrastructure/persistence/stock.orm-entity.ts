import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Row shape of inventory_stock: one row per product that was ever stocked. CHECK constraints in the migration
 * repeat the aggregate's invariant (0 ≤ reserved ≤ on_hand), so even a bug could not store an oversold row.
 */
@Entity({ name: 'inventory_stock' })
export class StockOrmEntity {
  /** The product's id (catalog's); named `id` for the shared versioned writer. */
  @PrimaryColumn({ name: 'product_id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'on_hand', type: 'int' })
  onHand: number;

  @Column({ type: 'int' })
  reserved: number;

  @Column({ type: 'int' })
  version: number;

  @Column({ name: 'updated_at', type: 'datetime', precision: 6 })
  updatedAt: Date;
}
