import { Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { TransactionContext } from '../../../../platform/persistence/transaction-context.js';
import { decodeCursor, toPage, type CursorValue, type Page } from '../../../../shared/application/cursor.js';
import { cursorDatetime } from '../../../../platform/persistence/cursor-datetime.js';
import { ValidationFailedError } from '../../../../shared/domain/domain-error.js';
import {
  ProductReadModel,
  type ProductListFilter,
  type ProductSort,
  type ProductSortField,
} from '../../application/ports/product-read-model.js';
import type { ProductView } from '../../application/product-view.js';
import { Sku } from '../../domain/sku.value-object.js';
import { ProductMapper } from './product.mapper.js';
import { ProductOrmEntity } from './product.orm-entity.js';

/** Entity property behind each sort field; each has an index (status, <column>, id) — see the catalog migration. */
const SORT_PROPERTIES: Record<ProductSortField, 'name' | 'priceAmount' | 'createdAt'> = {
  name: 'name',
  price: 'priceAmount',
  createdAt: 'createdAt',
};

/** `!` escapes LIKE wildcards portably (a backslash means different things in MySQL and SQLite literals). */
function escapeLike(value: string): string {
  return value.replace(/[!%_]/g, (char) => `!${char}`);
}

/**
 * SQLite's LOWER() (and LIKE's case folding) only know ASCII, so on the embedded profile `q=éclair` would miss
 * "ÉCLAIR" while MariaDB's collation finds it. There, names are lowered by this function instead: JavaScript's
 * toLowerCase, the same folding the query text gets. Registered once per sql.js database.
 */
const UNICODE_LOWER = 'orderly_unicode_lower';
const withUnicodeLower = new WeakSet<object>();

interface SqlJsDatabase {
  create_function(name: string, fn: (value: unknown) => unknown): unknown;
}

function sortToken(sort: ProductSort): string {
  return `${sort.descending ? '-' : ''}${sort.field}`;
}

/**
 * Product reads for queries. The list is a keyset scan of the index (status, sort column, id): the cursor
 * carries the sort token, the last row's sort value and its id, and the next page starts strictly after that
 * pair, so ties on the sort value (two products at one price) are neither skipped nor repeated, whatever the sort.
 *
 * The name filter is a substring match (`LIKE '%q%'`): no B-tree index can serve it, so it is a residual
 * predicate on the sorted index scan, which stops after `limit + 1` matches. A catalog large enough for that to
 * hurt wants a search index (FULLTEXT or an external one fed by catalog's events), not a different query here.
 */
@Injectable()
export class TypeOrmProductReadModel extends ProductReadModel {
  constructor(
    private readonly dataSource: DataSource,
    // The facade's look-ups run on other contexts' paths, sometimes inside their transaction: they must use that
    // transaction's connection. A second pooled connection per request, taken while holding the first, lets a
    // burst of as many requests as the pool has connections wait on each other until the acquire timeout.
    private readonly transactions: TransactionContext,
  ) {
    super();
  }

  async findById(id: string): Promise<ProductView | undefined> {
    const row = await this.transactions.manager().getRepository(ProductOrmEntity).findOneBy({ id });
    return row === null ? undefined : ProductMapper.toView(row);
  }

  async findBySku(sku: string): Promise<ProductView | undefined> {
    const row = await this.transactions.manager().getRepository(ProductOrmEntity).findOneBy({ sku });
    return row === null ? undefined : ProductMapper.toView(row);
  }

  async list(filter: ProductListFilter): Promise<Page<ProductView>> {
    const { sort } = filter;
    const property = SORT_PROPERTIES[sort.field];
    const direction = sort.descending ? 'DESC' : 'ASC';
    const query = this.dataSource
      .getRepository(ProductOrmEntity)
      .createQueryBuilder('p')
      .where('p.status = :status', { status: filter.status });
    if (filter.q !== undefined) this.matchText(query, filter.q);
    if (filter.minPrice !== undefined) query.andWhere('p.priceAmount >= :minPrice', { minPrice: filter.minPrice });
    if (filter.maxPrice !== undefined) query.andWhere('p.priceAmount <= :maxPrice', { maxPrice: filter.maxPrice });
    if (filter.cursor !== undefined) {
      const { value, id } = this.decode(filter.cursor, sort);
      const after = sort.descending ? '<' : '>';
      query.andWhere(
        `(p.${property} ${after} :afterValue OR (p.${property} = :afterValue AND p.id ${after} :afterId))`,
        {
          afterValue: value,
          afterId: id,
        },
      );
    }
    const rows = await query
      .orderBy(`p.${property}`, direction)
      .addOrderBy('p.id', direction)
      .limit(filter.limit + 1)
      .getMany();
    return toPage(rows, filter.limit, (row) => this.cursorOf(row, sort), ProductMapper.toView);
  }

  private matchText(query: SelectQueryBuilder<ProductOrmEntity>, q: string): void {
    const pattern = `%${escapeLike(q.toLowerCase())}%`;
    const name = this.lowerName();
    const sku = Sku.parse(q);
    if (sku === undefined) {
      query.andWhere(`${name} LIKE :pattern ESCAPE '!'`, { pattern });
    } else {
      query.andWhere(`(${name} LIKE :pattern ESCAPE '!' OR p.sku = :sku)`, { pattern, sku: sku.value });
    }
  }

  /** The lower-cased name in SQL: LOWER() where it folds Unicode (MySQL/MariaDB), UNICODE_LOWER on sql.js. */
  private lowerName(): string {
    if (this.dataSource.options.type !== 'sqljs') return 'LOWER(p.name)';
    const database = (this.dataSource.driver as unknown as { databaseConnection?: SqlJsDatabase }).databaseConnection;
    if (database === undefined) return 'LOWER(p.name)';
    if (!withUnicodeLower.has(database)) {
      database.create_function(UNICODE_LOWER, (value) => (typeof value === 'string' ? value.toLowerCase() : value));
      withUnicodeLower.add(database);
    }
    return `${UNICODE_LOWER}(p.name)`;
  }

  private cursorOf(row: ProductOrmEntity, sort: ProductSort): CursorValue[] {
    const value =
      sort.field === 'price' ? Number(row.priceAmount) : sort.field === 'name' ? row.name : row.createdAt.toISOString();
    return [sortToken(sort), value, row.id];
  }

  /** A cursor from another sort (or a forged one) is a 400: reading it under this sort would skip or repeat rows. */
  private decode(cursor: string, sort: ProductSort): { value: unknown; id: string } {
    const [token, value, id] = decodeCursor(cursor, ['string', sort.field === 'price' ? 'number' : 'string', 'string']);
    if (token !== sortToken(sort)) {
      throw ValidationFailedError.forField('cursor', 'belongs to another sort order; start again without a cursor');
    }
    if (sort.field !== 'createdAt') return { value, id: String(id) };
    return { value: cursorDatetime(this.dataSource, ProductOrmEntity, 'createdAt', value), id: String(id) };
  }
}
