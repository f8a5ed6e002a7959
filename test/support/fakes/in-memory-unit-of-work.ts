import { AfterCommit } from '../../../src/platform/persistence/after-commit.js';
import { UnitOfWork } from '../../../src/shared/application/unit-of-work.js';
import type { AggregateRoot } from '../../../src/shared/domain/aggregate-root.js';
import type { DomainEvent } from '../../../src/shared/domain/domain-event.js';

/** An in-memory store that takes part in transactions: the unit of work snapshots it and restores on rollback. */
export interface TransactionalStore {
  snapshot(): unknown;
  restore(snapshot: unknown): void;
}

/** What a deadlock looks like to the unit of work: the attempt is rolled back and the work runs again. */
export class SimulatedConflict extends Error {
  constructor() {
    super('simulated deadlock');
  }
}

const MAX_ATTEMPTS = 4;

/**
 * Behaves like the TypeORM unit of work without a database, so a handler that breaks its rules fails its unit
 * tests too:
 * - nested runs join the outer one; saving outside a run throws;
 * - a failed run rolls back every enlisted store (the fake repositories enlist themselves) and leaves the
 *   aggregates' events pending;
 * - `simulateConflicts(n)` makes the next n commits fail like a deadlock: the attempt is rolled back and the work
 *   runs again from scratch — a handler that loaded an aggregate outside the work, or wrote outside the
 *   repositories, shows it here;
 * - the events of committed runs are collected in `published`, in order (what the outbox would hold);
 * - after a commit, the `afterCommit` listeners of its events run and `run` resolves once they have settled (a
 *   failing listener is logged, not thrown), as in the TypeORM unit of work.
 */
export class InMemoryUnitOfWork extends UnitOfWork {
  readonly published: DomainEvent[] = [];
  runs = 0;
  commits = 0;
  rollbacks = 0;
  private readonly stores: TransactionalStore[] = [];
  private pendingConflicts = 0;
  private scope: Set<AggregateRoot> | undefined;

  constructor(readonly afterCommit: AfterCommit = new AfterCommit()) {
    super();
  }

  enlist(store: TransactionalStore): void {
    this.stores.push(store);
  }

  simulateConflicts(count = 1): void {
    this.pendingConflicts += count;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.scope !== undefined) return work();
    const { result, events } = await this.commit(work);
    // After the commit, outside the rollback's reach: a listener's failure never undoes the write.
    const listeners = this.afterCommit.dispatch(events);
    if (listeners !== undefined) await listeners;
    return result;
  }

  private async commit<T>(work: () => Promise<T>): Promise<{ result: T; events: DomainEvent[] }> {
    for (let attempt = 1; ; attempt++) {
      this.runs += 1;
      const snapshots = this.stores.map((store) => store.snapshot());
      const scope = new Set<AggregateRoot>();
      this.scope = scope;
      try {
        const result = await work();
        if (this.pendingConflicts > 0) {
          this.pendingConflicts -= 1;
          throw new SimulatedConflict();
        }
        this.commits += 1;
        const events = [...scope].flatMap((aggregate) => aggregate.pendingEvents);
        scope.forEach((aggregate) => aggregate.markSaved());
        this.published.push(...events);
        return { result, events };
      } catch (error) {
        this.stores.forEach((store, index) => store.restore(snapshots[index]));
        this.rollbacks += 1;
        if (error instanceof SimulatedConflict && attempt < MAX_ATTEMPTS) continue;
        throw error;
      } finally {
        this.scope = undefined;
      }
    }
  }

  /** Called by the fake repositories, as TransactionContext.track is by the real ones. */
  track(aggregate: AggregateRoot): void {
    if (this.scope === undefined) throw new Error('An aggregate was saved outside a unit of work');
    this.scope.add(aggregate);
  }

  publishedTypes(): string[] {
    return this.published.map((event) => event.type);
  }
}
