import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row shape of catalog_products. Persistence only: the domain never sees this class (see product.mapper.ts). */
@Entity({ name: 'catalog_products' })
export class ProductOrmEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** Upper-case; unique index uq_catalog_products_sku. */
  @Column({ type: 'varchar', length: 64 })
  sku: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'text' })
  description: string;

  /** Integer minor units (mysql2 returns BIGINT as a number: supportBigNumbers without bigNumberStrings). */
  @Column({ name: 'price_amount', type: 'bigint' })
  priceAmount: number;

  @Column({ name: 'price_currency', type: 'varchar', length: 3 })
  priceCurrency: string;

  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ name: 'created_at', type: 'datetime', precision: 6 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 6 })
  updatedAt: Date;
}
