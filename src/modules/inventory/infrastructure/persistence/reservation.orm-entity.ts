import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row shape of inventory_reservations: one per order that asked for stock (held, rejected or settled). */
@Entity({ name: 'inventory_reservations' })
export class ReservationOrmEntity {
  /** The order's id; named `id` for the shared versioned writer. */
  @PrimaryColumn({ name: 'order_id', type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 16 })
  status: string;

  /** JSON `[{productId, quantity}]`, merged per product: written once, never queried inside. */
  @Column({ type: 'text' })
  lines: string;

  /** JSON `[{productId, requested, available}]` of a rejected reservation, else `[]`. */
  @Column({ type: 'text' })
  shortages: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 6 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 6 })
  updatedAt: Date;
}
