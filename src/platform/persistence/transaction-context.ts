import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AggregateRoot } from '../../shared/domain/aggregate-root.js';

/** What one running transaction carries: its entity manager and the aggregates saved in it. */
export interface TransactionScope {
  readonly manager: EntityManager;
  readonly savedAggregates: Set<AggregateRoot>;
}

/**
 * Holds the current transaction in AsyncLocalStorage, so repositories join it without handlers or domain code
 * passing a transaction object around. Outside a unit of work repositories use the data source's manager.
 */
@Injectable()
export class TransactionContext {
  private readonly storage = new AsyncLocalStorage<TransactionScope>();

  constructor(private readonly dataSource: DataSource) {}

  get current(): TransactionScope | undefined {
    return this.storage.getStore();
  }

  manager(): EntityManager {
    return this.storage.getStore()?.manager ?? this.dataSource.manager;
  }

  runIn<T>(scope: TransactionScope, work: () => Promise<T>): Promise<T> {
    return this.storage.run(scope, work);
  }

  /**
   * Called by repositories (never by application code): the aggregate's recorded events go to the outbox when
   * the surrounding unit of work commits.
   */
  track(aggregate: AggregateRoot): void {
    const scope = this.storage.getStore();
    if (scope === undefined) {
      throw new Error('An aggregate was saved outside a unit of work: run the handler through the command pipeline');
    }
    scope.savedAggregates.add(aggregate);
  }
}
