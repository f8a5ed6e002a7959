import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { AggregateRoot } from '../../shared/domain/aggregate-root.js';
import type { DomainEvent } from '../../shared/domain/domain-event.js';
import { UnitOfWork } from '../../shared/application/unit-of-work.js';
import { isTransientConflict, translatePersistenceError } from './persistence-errors.js';
import { TransactionContext, type TransactionScope } from './transaction-context.js';

/** Attempts for a transaction that hits a deadlock or lock-wait timeout (MySQL 1213 / 1205). */
export const MAX_TRANSACTION_ATTEMPTS = 4;
const BASE_BACKOFF_MS = 10;

/**
 * The unit of work every command handler runs in (ARCHITECTURE §3).
 *
 * - One transaction per `run`; nested `run` calls join the outer one.
 * - Deadlocks and lock-wait timeouts re-run the whole work with jittered exponential backoff, a bounded number of
 *   times, so contention never surfaces as a 500.
 * - sql.js has a single connection shared by everyone (and exporting the file ends open transactions), so the
 *   embedded profile runs transactions one at a time; MySQL runs them concurrently on the pool.
 * - Events recorded by saved aggregates are published on the CQRS event bus only after the commit.
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
  ) {
    super();
    this.serialize = dataSource.options.type === 'sqljs';
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.context.current !== undefined) return work();
    for (let attempt = 1; ; attempt++) {
      try {
        const { result, events } = await this.exclusive(() => this.runOnce(work));
        this.publish(events);
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

  track(aggregate: AggregateRoot): void {
    const scope = this.context.current;
    if (scope === undefined) {
      throw new Error('An aggregate was saved outside a unit of work; wrap the handler in UnitOfWork.run');
    }
    scope.savedAggregates.add(aggregate);
  }

  private async runOnce<T>(work: () => Promise<T>): Promise<{ result: T; events: DomainEvent[] }> {
    let scope: TransactionScope | undefined;
    const result = await this.dataSource.transaction(async (manager) => {
      scope = { manager, savedAggregates: new Set() };
      return this.context.runIn(scope, work);
    });
    // Only a committed write changes what the aggregates consider stored; a rolled-back attempt leaves them
    // untouched, so a retry saves them again from scratch.
    const saved = [...(scope?.savedAggregates ?? [])];
    saved.forEach((aggregate) => aggregate.markSaved());
    return { result, events: saved.flatMap((aggregate) => aggregate.pullEvents()) };
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    if (!this.serialize) return task();
    const next = this.tail.then(task, task);
    this.tail = next.catch(() => undefined);
    return next;
  }

  private publish(events: DomainEvent[]): void {
    if (events.length > 0) this.eventBus.publishAll(events);
  }
}
