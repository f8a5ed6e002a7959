import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger, Optional } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { DataSource, type EntityManager } from 'typeorm';
import type { AggregateRoot } from '../../shared/domain/aggregate-root.js';
import type { DomainEvent } from '../../shared/domain/domain-event.js';
import { UnitOfWork } from '../../shared/application/unit-of-work.js';
import { AfterCommit } from './after-commit.js';
import { BeforeCommit } from './before-commit.js';
import { OutboxSignal } from './outbox/outbox-signal.js';
import { OutboxWriter } from './outbox/outbox-writer.js';
import { isTransientConflict, translatePersistenceError } from './persistence-errors.js';
import { TransactionContext, type TransactionScope } from './transaction-context.js';
import { WriteLanes } from './write-lanes.js';

/** Attempts for a transaction that hits a deadlock or lock-wait timeout (MySQL 1213 / 1205). */
export const MAX_TRANSACTION_ATTEMPTS = 4;
const BASE_BACKOFF_MS = 10;

/** Options of platform code that knows what it needs; application code uses the port's plain `run`. */
export interface TransactionOptions {
  /**
   * MySQL/MariaDB only (SQLite runs transactions one at a time anyway). The relay claims outbox rows under READ
   * COMMITTED: no gap locks, so claiming relays never block each other's updates or the writers' inserts.
   */
  readonly isolation?: 'READ COMMITTED';
  /**
   * The outbox relay's own work (claims, deliveries): it runs on the connections `WriteLanes` keeps free of request
   * transactions, so the saga keeps moving however many requests are waiting.
   */
  readonly background?: boolean;
}

interface Committed<T> {
  readonly result: T;
  readonly events: DomainEvent[];
  readonly outboxIds: string[];
}

/**
 * The unit of work every command and integration-event handler runs in (ARCHITECTURE §3).
 *
 * - One transaction per `run`; nested `run` calls join the outer one.
 * - Before the commit, the events recorded by the aggregates saved in it are written to the outbox, in the same
 *   transaction: an event exists if and only if the change that caused it does.
 * - Deadlocks and lock-wait timeouts re-run the whole work with jittered exponential backoff, a bounded number of
 *   times, so contention never surfaces as a 500. A rolled-back attempt leaves no outbox rows and leaves the
 *   aggregates' events pending, so whichever attempt commits writes each event exactly once.
 * - sql.js has a single connection shared by everyone (and exporting the file ends open transactions), so the
 *   embedded profile runs transactions one at a time; MySQL runs them concurrently on the pool.
 * - Before the commit, the `BeforeCommit` listeners (read-model projections) run in the transaction.
 * - After the commit: the domain events go to the in-process CQRS event bus (same-instance reactions, not awaited),
 *   the new outbox rows to the relay for durable delivery, and the `AfterCommit` listeners run — awaited, so what
 *   the answer must already reflect (cache invalidation in Redis and in process, SPEC §4a) is done when `run`
 *   resolves. A listener's failure is logged, never thrown: the write is committed.
 */
@Injectable()
export class TypeOrmUnitOfWork extends UnitOfWork {
  private readonly logger = new Logger(TypeOrmUnitOfWork.name);
  private readonly serialize: boolean;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly context: TransactionContext,
    private readonly eventBus: EventBus,
    private readonly outbox: OutboxWriter,
    private readonly signal: OutboxSignal,
    // Defaulted so harnesses that build the unit of work by hand need no listeners; Nest injects the shared one.
    private readonly afterCommit: AfterCommit = new AfterCommit(),
    private readonly beforeCommit: BeforeCommit = new BeforeCommit(),
    // Absent on the embedded profile (one connection, transactions in turn) and in harnesses built by hand.
    @Optional() private readonly lanes?: WriteLanes,
  ) {
    super();
    this.serialize = dataSource.options.type === 'sqljs';
  }

  async run<T>(work: () => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (this.context.current !== undefined) return work();
    for (let attempt = 1; ; attempt++) {
      try {
        const { result, events, outboxIds } = await this.inLane(options, () =>
          this.exclusive(() => this.runOnce(work, options)),
        );
        let listeners: Promise<void> | undefined;
        if (events.length > 0) {
          this.eventBus.publishAll(events);
          listeners = this.afterCommit.dispatch(events);
        }
        this.signal.committed(outboxIds);
        // Outside the retry's concern: dispatch never rejects. No listener → no await on the hot path.
        if (listeners !== undefined) await listeners;
        return result;
      } catch (error) {
        if (isTransientConflict(error) && attempt < MAX_TRANSACTION_ATTEMPTS) {
          const backoff = BASE_BACKOFF_MS * 2 ** (attempt - 1);
          this.logger.warn(`transaction conflict (attempt ${attempt}/${MAX_TRANSACTION_ATTEMPTS}), retrying`);
          await sleep(backoff / 2 + Math.random() * backoff);
          continue;
        }
        throw translatePersistenceError(error);
      }
    }
  }

  private async runOnce<T>(work: () => Promise<T>, options: TransactionOptions): Promise<Committed<T>> {
    let saved: AggregateRoot[] = [];
    let events: DomainEvent[] = [];
    let outboxIds: string[] = [];
    const isolation = this.serialize ? undefined : options.isolation;
    const transaction = (callback: (manager: EntityManager) => Promise<T>) =>
      isolation === undefined
        ? this.dataSource.transaction(callback)
        : this.dataSource.transaction(isolation, callback);
    const result = await transaction(async (manager) => {
      const scope: TransactionScope = { manager, savedAggregates: new Set() };
      const value = await this.context.runIn(scope, async () => {
        const done = await work();
        // Projections that must commit with the write see the events inside the transaction (BeforeCommit).
        await this.beforeCommit.dispatch([...scope.savedAggregates].flatMap((aggregate) => aggregate.pendingEvents));
        return done;
      });
      saved = [...scope.savedAggregates];
      events = saved.flatMap((aggregate) => aggregate.pendingEvents);
      outboxIds = await this.outbox.write(manager, events);
      return value;
    });
    // Only a committed write changes what the aggregates consider stored (and clears their pending events).
    saved.forEach((aggregate) => aggregate.markSaved());
    return { result, events, outboxIds };
  }

  /** Request-side work takes a write slot for the attempt (see WriteLanes); background work goes straight on. */
  private async inLane<T>(options: TransactionOptions, task: () => Promise<T>): Promise<T> {
    if (this.lanes === undefined || options.background === true) return task();
    const leave = await this.lanes.enter();
    try {
      return await task();
    } finally {
      leave();
    }
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    if (!this.serialize) return task();
    const next = this.tail.then(task, task);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
