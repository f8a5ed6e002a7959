import { Injectable } from '@nestjs/common';
import { translatePersistenceError } from '../../../../platform/persistence/persistence-errors.js';
import { TransactionContext } from '../../../../platform/persistence/transaction-context.js';
import { VersionedWriter } from '../../../../platform/persistence/versioned-writer.js';
import { DuplicateError } from '../../../../shared/domain/domain-error.js';
import { SkuTakenError } from '../../domain/catalog.errors.js';
import type { Product } from '../../domain/product.aggregate.js';
import { ProductRepository } from '../../domain/product.repository.js';
import { ProductMapper } from './product.mapper.js';
import { ProductOrmEntity } from './product.orm-entity.js';

@Injectable()
export class TypeOrmProductRepository extends ProductRepository {
  private readonly writer: VersionedWriter<Product, ProductOrmEntity>;

  constructor(context: TransactionContext) {
    super();
    this.writer = new VersionedWriter(context, ProductOrmEntity, ProductMapper.toRow);
  }

  async findById(id: string): Promise<Product | undefined> {
    const row = await this.writer.repository().findOneBy({ id });
    return row === null ? undefined : ProductMapper.toDomain(row);
  }

  /** The unique SKU index is the only unique key besides the id: a violation means the SKU is taken. */
  async save(product: Product): Promise<void> {
    try {
      await this.writer.save(product);
    } catch (error) {
      if (translatePersistenceError(error) instanceof DuplicateError) throw new SkuTakenError(product.snapshot().sku);
      throw error;
    }
  }
}
