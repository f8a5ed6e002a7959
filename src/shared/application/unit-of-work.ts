/**
 * Runs `work` in one database transaction. Repositories called inside it join the transaction without any
 * parameter passing; the events recorded by the aggregates they save are written to the outbox in the same
 * transaction, and dispatched once it has committed (never for a rolled-back one).
 *
 * Application code rarely calls this: the command pipeline runs every command handler in a unit of work, and the
 * relay runs every integration-event handler in one. Transient conflicts (deadlocks, lock-wait timeouts) make the
 * whole `work` run again, so it loads what it changes inside `work` and has no side effects outside the database.
 */
export abstract class UnitOfWork {
  abstract run<T>(work: () => Promise<T>): Promise<T>;
}
