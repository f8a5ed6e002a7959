import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodeCursor, toPage, type Page } from '../../../../shared/application/cursor.js';
import { cursorDatetime } from '../../../../platform/persistence/cursor-datetime.js';
import type { OrderView } from '../../application/order-view.js';
import { OrderSummaryReadModel, type OrderListFilter } from '../../application/ports/order-summary-read-model.js';
import { OrderSummaryOrmEntity } from './order-summary.orm-entity.js';

/**
 * Reads `order_summaries`. Lists are keyset scans, newest first, of the index (user_id, created_at, id) for one
 * user or (created_at, id) for everyone: the cursor is the last row's (createdAt, id), and the next page starts
 * strictly after that pair, so orders placed in the same millisecond are neither skipped nor repeated.
 */
@Injectable()
export class TypeOrmOrderSummaryReadModel extends OrderSummaryReadModel {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async find(orderId: string): Promise<OrderView | undefined> {
    const row = await this.dataSource
      .getRepository(OrderSummaryOrmEntity)
      .findOne({ where: { id: orderId }, select: { id: true, view: true } });
    return row === null ? undefined : (JSON.parse(row.view) as OrderView);
  }

  async list(filter: OrderListFilter): Promise<Page<OrderView>> {
    const query = this.dataSource
      .getRepository(OrderSummaryOrmEntity)
      .createQueryBuilder('s')
      .select(['s.id', 's.view', 's.createdAt']);
    if (filter.userId !== undefined) query.where('s.userId = :userId', { userId: filter.userId });
    if (filter.cursor !== undefined) {
      const { createdAt, id } = this.decode(filter.cursor);
      query.andWhere('(s.createdAt < :createdAt OR (s.createdAt = :createdAt AND s.id < :id))', { createdAt, id });
    }
    const rows = await query
      .orderBy('s.createdAt', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .limit(filter.limit + 1)
      .getMany();
    return toPage(
      rows,
      filter.limit,
      (row) => [row.createdAt.toISOString(), row.id],
      (row) => JSON.parse(row.view) as OrderView,
    );
  }

  private decode(cursor: string): { createdAt: unknown; id: string } {
    const [createdAt, id] = decodeCursor(cursor, ['string', 'string']);
    return {
      createdAt: cursorDatetime(this.dataSource, OrderSummaryOrmEntity, 'createdAt', createdAt),
      id: String(id),
    };
  }
}
