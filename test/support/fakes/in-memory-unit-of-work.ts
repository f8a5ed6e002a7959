import { UnitOfWork } from '../../../src/shared/application/unit-of-work.js';
import type { AggregateRoot } from '../../../src/shared/domain/aggregate-root.js';
import type { DomainEvent } from '../../../src/shared/domain/domain-event.js';

/**
 * Behaves like the TypeORM unit of work without a database: nested runs join the outer one, aggregates tracked
 * during a successful run are marked saved and their events collected in `published` (nothing is dispatched);
 * a failed run leaves its aggregates untouched. Saving outside a run throws, as in production.
 */
export class InMemoryUnitOfWork extends UnitOfWork {
  readonly published: DomainEvent[] = [];
  runs = 0;
  commits = 0;
  private scope: Set<AggregateRoot> | undefined;

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.scope !== undefined) return work();
    this.runs += 1;
    const scope = new Set<AggregateRoot>();
    this.scope = scope;
    try {
      const result = await work();
      this.commits += 1;
      scope.forEach((aggregate) => aggregate.markSaved());
      this.published.push(...[...scope].flatMap((aggregate) => aggregate.pullEvents()));
      return result;
    } finally {
      this.scope = undefined;
    }
  }

  track(aggregate: AggregateRoot): void {
    if (this.scope === undefined) throw new Error('An aggregate was saved outside a unit of work');
    this.scope.add(aggregate);
  }

  publishedTypes(): string[] {
    return this.published.map((event) => event.type);
  }
}
