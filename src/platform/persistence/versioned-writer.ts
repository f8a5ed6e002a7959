import type { EntityTarget, FindOptionsWhere, ObjectLiteral, Repository } from 'typeorm';
import type { AggregateRoot } from '../../shared/domain/aggregate-root.js';
import { ConcurrentUpdateError } from '../../shared/domain/domain-error.js';
import type { TransactionContext } from './transaction-context.js';

/** Child rows of an aggregate (order lines) stored in their own table and written with the aggregate. */
export interface ChildRows<TAggregate, TChild extends ObjectLiteral> {
  readonly target: EntityTarget<TChild>;
  /** The column of the child table that holds the aggregate's id. */
  readonly parentColumn: keyof TChild & string;
  readonly toRows: (aggregate: TAggregate) => TChild[];
}

/**
 * The write half every TypeORM aggregate repository shares: insert a new aggregate, or update an existing one
 * only if its stored `version` is still the one it was loaded with (optimistic locking → 409 40901), then hand
 * the aggregate to the unit of work so its events are written to the outbox in the same transaction.
 *
 * Aggregates with child rows pass `children`: they are replaced with the aggregate in the same transaction (the
 * version check on the root row comes first, so a stale writer never touches them).
 *
 * Composition rather than a base class: a repository keeps its own public shape (the domain port) and uses this.
 */
export class VersionedWriter<TAggregate extends AggregateRoot, TRow extends ObjectLiteral & { id: string }> {
  constructor(
    private readonly context: TransactionContext,
    private readonly target: EntityTarget<TRow>,
    private readonly toRow: (aggregate: TAggregate) => TRow,
    private readonly children: readonly ChildRows<TAggregate, ObjectLiteral>[] = [],
  ) {}

  repository(): Repository<TRow> {
    return this.context.manager().getRepository(this.target);
  }

  /**
   * Reads one row and locks it until the transaction ends (`SELECT … FOR UPDATE` on MySQL/MariaDB). For aggregates
   * that several transactions change at once and that must be taken in a fixed order (wallet transfers): lock in
   * id order and the deadlock cannot happen. On SQLite transactions run one at a time, so a plain read suffices.
   */
  async findForUpdate(where: FindOptionsWhere<TRow>): Promise<TRow | null> {
    const manager = this.context.manager();
    if (this.context.current === undefined) throw new Error('findForUpdate outside a unit of work locks nothing');
    const locking = manager.connection.options.type === 'mysql';
    return manager
      .getRepository(this.target)
      .findOne({ where, ...(locking ? { lock: { mode: 'pessimistic_write' } } : {}) });
  }

  /** Loads the child rows of several aggregates in one query (no N+1), grouped by parent id. */
  async loadChildren<TChild extends ObjectLiteral>(
    child: ChildRows<TAggregate, TChild>,
    parentIds: readonly string[],
  ): Promise<Map<string, TChild[]>> {
    const grouped = new Map<string, TChild[]>(parentIds.map((id) => [id, []]));
    if (parentIds.length === 0) return grouped;
    const rows = await this.context
      .manager()
      .getRepository(child.target)
      .createQueryBuilder('child')
      .where(`child.${child.parentColumn} IN (:...ids)`, { ids: [...parentIds] })
      .getMany();
    for (const row of rows) grouped.get(String(row[child.parentColumn]))?.push(row);
    return grouped;
  }

  /** An unchanged aggregate is not written, but still tracked: it may have recorded events (e.g. a login). */
  async save(aggregate: TAggregate): Promise<void> {
    if (aggregate.hasUnsavedChanges) await this.write(aggregate);
    this.context.track(aggregate);
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
    await this.writeChildren(aggregate);
  }

  private async writeChildren(aggregate: TAggregate): Promise<void> {
    const manager = this.context.manager();
    for (const child of this.children) {
      const repository = manager.getRepository(child.target);
      if (!aggregate.isNew) await repository.delete({ [child.parentColumn]: aggregate.id });
      const rows = child.toRows(aggregate);
      if (rows.length > 0) await repository.insert(rows);
    }
  }
}
