import { CatalogSettings } from '../../../src/modules/catalog/application/catalog-settings.js';
import { SkuTakenError } from '../../../src/modules/catalog/domain/catalog.errors.js';
import { Product, type ProductState } from '../../../src/modules/catalog/domain/product.aggregate.js';
import { ProductRepository } from '../../../src/modules/catalog/domain/product.repository.js';
import {
  runTransactionalCommand,
  type TransactionalCommandHandler,
} from '../../../src/shared/application/transactional-command-handler.js';
import { ConcurrentUpdateError, DuplicateError } from '../../../src/shared/domain/domain-error.js';
import { Money } from '../../../src/shared/domain/money.js';
import { FixedClock } from './fixed-clock.js';
import { InMemoryUnitOfWork, type TransactionalStore } from './in-memory-unit-of-work.js';
import { SequentialIdGenerator } from './sequential-id-generator.js';

/**
 * Stores snapshots, like rows: every find returns a fresh aggregate. Mirrors TypeOrmProductRepository: unchanged
 * aggregates are not written but still tracked, a taken SKU is a SkuTakenError (a taken id a DuplicateError), a
 * stale version a ConcurrentUpdateError. Takes part in the in-memory unit of work's rollbacks.
 */
export class InMemoryProductRepository extends ProductRepository implements TransactionalStore {
  readonly rows = new Map<string, ProductState>();
  writes = 0;

  constructor(private readonly unitOfWork: InMemoryUnitOfWork) {
    super();
    unitOfWork.enlist(this);
  }

  snapshot(): Map<string, ProductState> {
    return new Map(this.rows);
  }

  restore(snapshot: unknown): void {
    this.rows.clear();
    for (const [id, row] of snapshot as Map<string, ProductState>) this.rows.set(id, row);
  }

  seed(state: ProductState): Product {
    this.rows.set(state.id, state);
    return Product.restore(state);
  }

  async findById(id: string): Promise<Product | undefined> {
    const row = this.rows.get(id);
    return row === undefined ? undefined : Product.restore(row);
  }

  async save(product: Product): Promise<void> {
    if (product.hasUnsavedChanges) this.write(product);
    this.unitOfWork.track(product);
  }

  stateOf(id: string): ProductState | undefined {
    return this.rows.get(id);
  }

  private write(product: Product): void {
    const state = product.snapshot();
    const stored = this.rows.get(product.id);
    if (product.isNew && stored !== undefined) throw new DuplicateError();
    if (!product.isNew && stored?.version !== product.expectedStoredVersion) throw new ConcurrentUpdateError();
    const skuTaken = [...this.rows.values()].some((row) => row.sku === state.sku && row.id !== state.id);
    if (skuTaken) throw new SkuTakenError(state.sku);
    this.rows.set(product.id, state);
    this.writes += 1;
  }
}

export const SHOP_CURRENCY = 'EUR';

/** Every port catalog's command handlers need, as fakes wired to each other. */
export function catalogFakes() {
  const clock = new FixedClock();
  const ids = new SequentialIdGenerator();
  const unitOfWork = new InMemoryUnitOfWork();
  const products = new InMemoryProductRepository(unitOfWork);
  const settings: CatalogSettings = { currency: SHOP_CURRENCY };

  /** A stored product (version 1, active, 12.90 EUR) unless told otherwise. */
  function seedProduct(overrides: Partial<ProductState> = {}): Product {
    const id = overrides.id ?? ids.next();
    return products.seed({
      id,
      sku: `SKU-${id.slice(-4)}`,
      name: 'Enamel mug',
      description: 'A sturdy mug',
      price: Money.of(1290, SHOP_CURRENCY),
      status: 'active',
      version: 1,
      createdAt: clock.now(),
      updatedAt: clock.now(),
      ...overrides,
    });
  }

  /** Runs a handler exactly as the command pipeline does: prepare, then execute in the unit of work. */
  function run<TCommand, TResult, TPrepared>(
    handler: TransactionalCommandHandler<TCommand, TResult, TPrepared>,
    command: TCommand,
  ): Promise<TResult> {
    return runTransactionalCommand(unitOfWork, handler, command);
  }

  return { clock, ids, unitOfWork, products, settings, seedProduct, run };
}

export type CatalogFakes = ReturnType<typeof catalogFakes>;
