import type { AggregateRoot } from '../domain/aggregate-root.js';

/**
 * Runs `work` in one database transaction. Repositories called inside it join the transaction without any
 * parameter passing, and aggregates they save are tracked so that their recorded events are dispatched once
 * the transaction has committed (never for a rolled-back one).
 *
 * Transient conflicts (deadlocks, lock-wait timeouts) make the whole `work` run again, so it must be free of
 * side effects outside the database — which is what handlers are anyway. The rule that keeps events exact:
 * an aggregate that `work` changes is loaded inside `work`, so every attempt changes a fresh copy and a retry
 * never records an event twice. An aggregate created before `run` (registration) may be saved inside it.
 */
export abstract class UnitOfWork {
  abstract run<T>(work: () => Promise<T>): Promise<T>;

  /** Called by repositories: the aggregate's events are dispatched after the surrounding commit. */
  abstract track(aggregate: AggregateRoot): void;
}
