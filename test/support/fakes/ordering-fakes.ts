import { ProductCatalog, type CatalogProduct } from '../../../src/modules/catalog/contracts/product-catalog.js';
import type { OrderingSettings } from '../../../src/modules/ordering/application/ordering-settings.js';
import { SagaBacklog } from '../../../src/modules/ordering/application/ports/saga-backlog.js';
import {
  CouponQuotes,
  type CouponQuote,
  type CouponQuoteRequest,
} from '../../../src/modules/promotions/contracts/index.js';
import { CouponNotApplicableError } from '../../../src/modules/promotions/domain/promotions.errors.js';
import { Order, type OrderState } from '../../../src/modules/ordering/domain/order.aggregate.js';
import { OrderRepository } from '../../../src/modules/ordering/domain/order.repository.js';
import {
  runTransactionalCommand,
  type TransactionalCommandHandler,
} from '../../../src/shared/application/transactional-command-handler.js';
import { ConcurrentUpdateError, DuplicateError } from '../../../src/shared/domain/domain-error.js';
import { FixedClock } from './fixed-clock.js';
import { InMemoryUnitOfWork, type TransactionalStore } from './in-memory-unit-of-work.js';
import { SequentialIdGenerator } from './sequential-id-generator.js';

/**
 * Stores order states like rows: every lock returns a fresh aggregate. Mirrors TypeOrmOrderRepository (a stale
 * version is a ConcurrentUpdateError, a taken id a DuplicateError) and takes part in the unit of work's rollbacks.
 */
export class InMemoryOrderRepository extends OrderRepository implements TransactionalStore {
  readonly rows = new Map<string, OrderState>();

  constructor(private readonly unitOfWork: InMemoryUnitOfWork) {
    super();
    unitOfWork.enlist(this);
  }

  snapshot(): Map<string, OrderState> {
    return new Map(this.rows);
  }

  restore(snapshot: unknown): void {
    this.rows.clear();
    for (const [id, row] of snapshot as Map<string, OrderState>) this.rows.set(id, row);
  }

  async lock(orderId: string): Promise<Order | undefined> {
    const row = this.rows.get(orderId);
    return row === undefined ? undefined : Order.restore(row);
  }

  async save(order: Order): Promise<void> {
    const stored = this.rows.get(order.id);
    if (order.hasUnsavedChanges) {
      if (order.isNew && stored !== undefined) throw new DuplicateError();
      if (!order.isNew && stored?.version !== order.expectedStoredVersion) throw new ConcurrentUpdateError();
      this.rows.set(order.id, order.state());
    } else if (order.hasUnsavedProgress) {
      // Saga progress keeps the version, like the row's `saga_awaiting` update.
      if (stored?.version !== order.version) throw new ConcurrentUpdateError();
      this.rows.set(order.id, order.state());
    }
    this.unitOfWork.track(order);
  }

  async findOverdue(now: Date, limit: number): Promise<string[]> {
    return [...this.rows.values()]
      .filter((row) => row.deadlineAt !== undefined && row.deadlineAt.getTime() <= now.getTime())
      .sort((a, b) => (a.deadlineAt?.getTime() ?? 0) - (b.deadlineAt?.getTime() ?? 0))
      .slice(0, limit)
      .map((row) => row.id);
  }
}

/** Catalog's facade over a map of products; counts calls so tests can prove one round trip per order. */
export class FakeProductCatalog extends ProductCatalog {
  readonly products = new Map<string, CatalogProduct>();
  findManyCalls = 0;

  add(product: Partial<CatalogProduct> & { id: string }): CatalogProduct {
    const full: CatalogProduct = {
      sku: `SKU-${product.id.slice(-4)}`,
      name: 'Enamel mug',
      price: { amount: 1290, currency: 'EUR' },
      status: 'active',
      version: 1,
      ...product,
    };
    this.products.set(full.id, full);
    return full;
  }

  async find(productId: string): Promise<CatalogProduct | undefined> {
    return this.products.get(productId);
  }

  async findMany(productIds: readonly string[]): Promise<ReadonlyMap<string, CatalogProduct>> {
    this.findManyCalls += 1;
    return new Map(productIds.flatMap((id) => (this.products.has(id) ? [[id, this.products.get(id)!]] : [])));
  }

  async findBySku(sku: string): Promise<CatalogProduct | undefined> {
    return [...this.products.values()].find((product) => product.sku === sku.toUpperCase());
  }
}

/** The saga's lag as a test sets it. */
export class FakeSagaBacklog extends SagaBacklog {
  lag = 0;

  lagMs(): number {
    return this.lag;
  }
}

/**
 * Promotions' facade over a map of codes: a known code gives `discount` (an amount, capped at the subtotal, or a
 * percentage rounded half-up); an unknown code is 42205, and a code marked refused throws the error a test put there.
 */
export class FakeCouponQuotes extends CouponQuotes {
  readonly coupons = new Map<string, { amount?: number; percent?: number; refusal?: Error }>();
  readonly requests: CouponQuoteRequest[] = [];

  async quote(request: CouponQuoteRequest): Promise<CouponQuote> {
    this.requests.push(request);
    const code = request.code.trim().toUpperCase();
    const coupon = this.coupons.get(code);
    if (coupon === undefined) throw new CouponNotApplicableError(code, 'unknown');
    if (coupon.refusal !== undefined) throw coupon.refusal;
    const subtotal = request.subtotal.amount;
    const amount =
      coupon.percent === undefined
        ? Math.min(coupon.amount ?? 0, subtotal)
        : Math.min(Math.floor((subtotal * coupon.percent + 50) / 100), subtotal);
    return { code, discount: { amount, currency: request.subtotal.currency } };
  }
}

/** Every port ordering's command handlers need, as fakes wired to each other. */
export function orderingFakes() {
  const clock = new FixedClock('2026-12-01T10:00:00.000Z');
  const ids = new SequentialIdGenerator();
  const unitOfWork = new InMemoryUnitOfWork();
  const orders = new InMemoryOrderRepository(unitOfWork);
  const catalog = new FakeProductCatalog();
  const backlog = new FakeSagaBacklog();
  const coupons = new FakeCouponQuotes();
  const settings: OrderingSettings = {
    currency: 'EUR',
    confirmWithinMs: 30_000,
    payWithinMs: 15 * 60_000,
    sweepEveryMs: 1_000,
  };

  /** Runs a handler exactly as the command pipeline does: prepare, then execute in the unit of work. */
  function run<TCommand, TResult, TPrepared>(
    handler: TransactionalCommandHandler<TCommand, TResult, TPrepared>,
    command: TCommand,
  ): Promise<TResult> {
    return runTransactionalCommand(unitOfWork, handler, command);
  }

  return { clock, ids, unitOfWork, orders, catalog, backlog, coupons, settings, run };
}
