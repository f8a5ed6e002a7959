import type { PromotionsSettings } from '../../../src/modules/promotions/application/promotions-settings.js';
import { Coupon, type CouponState } from '../../../src/modules/promotions/domain/coupon.aggregate.js';
import { CouponRepository } from '../../../src/modules/promotions/domain/coupon.repository.js';
import { CouponCodeTakenError } from '../../../src/modules/promotions/domain/promotions.errors.js';
import {
  runTransactionalCommand,
  type TransactionalCommandHandler,
} from '../../../src/shared/application/transactional-command-handler.js';
import { ConcurrentUpdateError, DuplicateError } from '../../../src/shared/domain/domain-error.js';
import { FixedClock } from './fixed-clock.js';
import { InMemoryUnitOfWork, type TransactionalStore } from './in-memory-unit-of-work.js';
import { SequentialIdGenerator } from './sequential-id-generator.js';

/**
 * Stores coupon states like rows: every read returns a fresh aggregate. Mirrors TypeOrmCouponRepository: unchanged
 * aggregates are not written but still tracked, a taken code is a CouponCodeTakenError (a taken id a
 * DuplicateError), a stale version a ConcurrentUpdateError. Takes part in the in-memory unit of work's rollbacks.
 *
 * It records how coupons were read (`plainReads`, `locks`), so tests can tell a locking read from a plain one,
 * and `beforeNextWrite` lets a test commit someone else's change between a handler's read and its write — what a
 * redemption step of the order saga does to a coupon that was read without its lock. A row locked by the current
 * transaction makes that change wait (`waiting`): the test runs it after the handler's commit, as the database would.
 */
export class InMemoryCouponRepository extends CouponRepository implements TransactionalStore {
  readonly rows = new Map<string, CouponState>();
  readonly plainReads: string[] = [];
  readonly locks: string[] = [];
  writes = 0;
  /** An interleaved change that found the row locked: it runs once the test lets it (after the commit). */
  waiting: (() => void) | undefined;
  private interleaved: (() => void) | undefined;
  /** Rows locked by the current transaction (a unit of work snapshots its stores when a transaction starts). */
  private readonly held = new Set<string>();

  constructor(private readonly unitOfWork: InMemoryUnitOfWork) {
    super();
    unitOfWork.enlist(this);
  }

  snapshot(): Map<string, CouponState> {
    this.held.clear();
    return new Map(this.rows);
  }

  restore(snapshot: unknown): void {
    this.rows.clear();
    for (const [id, row] of snapshot as Map<string, CouponState>) this.rows.set(id, row);
  }

  seed(state: CouponState): Coupon {
    this.rows.set(state.id, state);
    return Coupon.restore(state);
  }

  /** Runs `change` once, just before the next write checks versions (after the handler has read). */
  beforeNextWrite(change: () => void): void {
    this.interleaved = change;
  }

  async findById(couponId: string): Promise<Coupon | undefined> {
    this.plainReads.push(couponId);
    return this.read(couponId);
  }

  async findByCode(code: string): Promise<Coupon | undefined> {
    const row = [...this.rows.values()].find((candidate) => candidate.code === code);
    this.plainReads.push(row?.id ?? code);
    return row === undefined ? undefined : Coupon.restore(row);
  }

  /** A locking read: until the transaction ends, no other change to the row can commit (see `waiting`). */
  async lock(couponId: string): Promise<Coupon | undefined> {
    this.locks.push(couponId);
    this.held.add(couponId);
    return this.read(couponId);
  }

  async save(coupon: Coupon): Promise<void> {
    if (coupon.hasUnsavedChanges) this.write(coupon);
    this.unitOfWork.track(coupon);
  }

  stateOf(id: string): CouponState | undefined {
    return this.rows.get(id);
  }

  private read(couponId: string): Coupon | undefined {
    const row = this.rows.get(couponId);
    return row === undefined ? undefined : Coupon.restore(row);
  }

  private write(coupon: Coupon): void {
    const interleaved = this.interleaved;
    this.interleaved = undefined;
    // Someone else's commit lands between this transaction's read and its write — unless the row is locked.
    if (interleaved !== undefined) {
      if (this.held.has(coupon.id)) this.waiting = interleaved;
      else interleaved();
    }
    const state = coupon.snapshot();
    const stored = this.rows.get(coupon.id);
    if (coupon.isNew && stored !== undefined) throw new DuplicateError();
    if (!coupon.isNew && stored?.version !== coupon.expectedStoredVersion) throw new ConcurrentUpdateError();
    const codeTaken = [...this.rows.values()].some((row) => row.code === state.code && row.id !== state.id);
    if (codeTaken) throw new CouponCodeTakenError(state.code);
    this.rows.set(coupon.id, state);
    this.writes += 1;
  }
}

export const SHOP_CURRENCY = 'EUR';

/** Every port promotions' command handlers need, as fakes wired to each other. */
export function promotionsFakes() {
  const clock = new FixedClock('2026-06-01T10:00:00.000Z');
  const ids = new SequentialIdGenerator();
  const unitOfWork = new InMemoryUnitOfWork();
  const coupons = new InMemoryCouponRepository(unitOfWork);
  const settings: PromotionsSettings = { currency: SHOP_CURRENCY };

  /** A stored coupon (version 1, active, 10 % off, no limits but one per customer) unless told otherwise. */
  function seedCoupon(overrides: Partial<CouponState> = {}): Coupon {
    const id = overrides.id ?? ids.next();
    return coupons.seed({
      id,
      code: `CODE-${id.slice(-4).toUpperCase()}`,
      discount: { kind: 'percent', percent: 10 },
      minSubtotal: undefined,
      validFrom: undefined,
      validUntil: undefined,
      maxRedemptions: undefined,
      maxRedemptionsPerUser: 1,
      status: 'active',
      redemptions: 0,
      pendingRedemptions: 0,
      createdAt: clock.now(),
      updatedAt: clock.now(),
      version: 1,
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

  return { clock, ids, unitOfWork, coupons, settings, seedCoupon, run };
}

export type PromotionsFakes = ReturnType<typeof promotionsFakes>;
