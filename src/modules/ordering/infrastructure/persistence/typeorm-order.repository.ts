import { Injectable } from '@nestjs/common';
import { executeSql } from '../../../../platform/persistence/raw-sql.js';
import { TransactionContext } from '../../../../platform/persistence/transaction-context.js';
import { VersionedWriter } from '../../../../platform/persistence/versioned-writer.js';
import { ConcurrentUpdateError } from '../../../../shared/domain/domain-error.js';
import type { Order } from '../../domain/order.aggregate.js';
import { OrderRepository } from '../../domain/order.repository.js';
import { OrderLineOrmEntity } from './order-line.orm-entity.js';
import { OrderMapper } from './order.mapper.js';
import { OrderOrmEntity } from './order.orm-entity.js';

/**
 * Orders in the caller's transaction. Lines are written once, with the new order (prices are captured at
 * placement and never change), so a status change is a single versioned UPDATE of the order row.
 */
@Injectable()
export class TypeOrmOrderRepository extends OrderRepository {
  private readonly writer: VersionedWriter<Order, OrderOrmEntity>;

  constructor(private readonly context: TransactionContext) {
    super();
    this.writer = new VersionedWriter(context, OrderOrmEntity, (order: Order) => OrderMapper.toRow(order));
  }

  async lock(orderId: string): Promise<Order | undefined> {
    const row = await this.writer.findForUpdate({ id: orderId });
    if (row === null) return undefined;
    const lines = await this.context.manager().getRepository(OrderLineOrmEntity).findBy({ orderId });
    return OrderMapper.toDomain(row, lines);
  }

  async save(order: Order): Promise<void> {
    if (!order.hasUnsavedChanges && order.hasUnsavedProgress) return this.saveProgress(order);
    const isNew = order.isNew;
    await this.writer.save(order);
    if (isNew) await this.context.manager().getRepository(OrderLineOrmEntity).insert(OrderMapper.toLineRows(order));
  }

  /**
   * A saga participant crossed off, nothing a client sees: the same version, written under the row lock the saga
   * took (`lock`), so no other writer of this order runs meanwhile — the version condition only guards the rule.
   */
  private async saveProgress(order: Order): Promise<void> {
    const manager = this.context.manager();
    const changed = await executeSql(manager, 'UPDATE orders SET saga_awaiting = ? WHERE id = ? AND version = ?', [
      OrderMapper.awaitingColumn(order.awaitedParticipants),
      order.id,
      order.version,
    ]);
    if (changed !== 1) throw new ConcurrentUpdateError();
    this.context.track(order);
  }

  async findOverdue(now: Date, limit: number): Promise<string[]> {
    const rows = await this.context
      .manager()
      .getRepository(OrderOrmEntity)
      .createQueryBuilder('o')
      .select('o.id', 'id')
      .where('o.deadlineAt <= :now', { now })
      .orderBy('o.deadlineAt', 'ASC')
      .limit(limit)
      .getRawMany<{ id: string }>();
    return rows.map((row) => row.id);
  }
}
