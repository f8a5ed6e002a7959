import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row shape of `order_lines`: written once with the order, never changed. */
@Entity({ name: 'order_lines' })
export class OrderLineOrmEntity {
  @PrimaryColumn({ name: 'order_id', type: 'varchar', length: 36 })
  orderId: string;

  /** Position on the order (0-based), so lines read back in the order they were placed. */
  @PrimaryColumn({ name: 'line_no', type: 'int' })
  lineNo: number;

  @Column({ name: 'product_id', type: 'varchar', length: 36 })
  productId: string;

  @Column({ type: 'int' })
  quantity: number;

  @Column({ name: 'unit_price', type: 'bigint' })
  unitPrice: number;
}
