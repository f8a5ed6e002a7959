import type { EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import type { AggregateRoot } from '../../shared/domain/aggregate-root.js';
import { ConcurrentUpdateError } from '../../shared/domain/domain-error.js';
import type { UnitOfWork } from '../../shared/application/unit-of-work.js';
import type { TransactionContext } from './transaction-context.js';

/**
 * The write half every TypeORM aggregate repository shares: insert a new aggregate, or update an existing one
 * only if its stored `version` is still the one it was loaded with (optimistic locking → 409 40901), then hand
 * the aggregate to the unit of work so its events are dispatched after the commit.
 *
 * Composition rather than a base class: a repository keeps its own public shape (the domain port) and uses this.
 */
export class VersionedWriter<TAggregate extends AggregateRoot, TRow extends ObjectLiteral & { id: string }> {
  constructor(
    private readonly context: TransactionContext,
    private readonly unitOfWork: UnitOfWork,
    private readonly target: EntityTarget<TRow>,
    private readonly toRow: (aggregate: TAggregate) => TRow,
  ) {}

  repository(): Repository<TRow> {
    return this.context.manager().getRepository(this.target);
  }

  /** An unchanged aggregate is not written, but still tracked: it may have recorded events (e.g. a login). */
  async save(aggregate: TAggregate): Promise<void> {
    if (aggregate.hasUnsavedChanges) await this.write(aggregate);
    this.unitOfWork.track(aggregate);
  }

  private async write(aggregate: TAggregate): Promise<void> {
    const row = this.toRow(aggregate);
    if (aggregate.isNew) {
      await this.repository().insert(row);
    } else {
      const result = await this.repository()
        .createQueryBuilder()
        .update()
        .set(row)
        .where('id = :id AND version = :expected', { id: aggregate.id, expected: aggregate.expectedStoredVersion })
        .execute();
      if (result.affected !== 1) throw new ConcurrentUpdateError();
    }
  }
}
