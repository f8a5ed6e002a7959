import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OrderSummaryRebuild } from '../../application/ports/order-summary-read-model.js';
import { OrderLineOrmEntity } from '../persistence/order-line.orm-entity.js';
import { OrderMapper } from '../persistence/order.mapper.js';
import { OrderOrmEntity } from '../persistence/order.orm-entity.js';
import { OrderSummaryProjection } from './order-summary.projection.js';
import { OrderSummaryOrmEntity } from './order-summary.orm-entity.js';

const BATCH = 500;

/**
 * Rebuilds `order_summaries` from the orders table (`npm run read-model:rebuild`): keyset batches by id, each batch's
 * lines in one query, every order written through the projection's own upsert (same version replaced, an older
 * one never wins), then summaries without an order removed. Safe while the service runs: a change committed
 * meanwhile has a higher version than the snapshot read here, so the rebuild cannot undo it.
 */
@Injectable()
export class TypeOrmOrderSummaryRebuild extends OrderSummaryRebuild {
  private readonly logger = new Logger('OrderSummaryRebuild');

  constructor(
    private readonly dataSource: DataSource,
    private readonly projection: OrderSummaryProjection,
  ) {
    super();
  }

  async rebuild(): Promise<number> {
    let written = 0;
    let after = '';
    for (;;) {
      const rows = await this.dataSource
        .getRepository(OrderOrmEntity)
        .createQueryBuilder('o')
        .where('o.id > :after', { after })
        .orderBy('o.id', 'ASC')
        .limit(BATCH)
        .getMany();
      if (rows.length === 0) break;
      const lines = await this.dataSource
        .getRepository(OrderLineOrmEntity)
        .createQueryBuilder('l')
        .where('l.orderId IN (:...ids)', { ids: rows.map((row) => row.id) })
        .getMany();
      const linesOf = Map.groupBy(lines, (line) => line.orderId);
      for (const row of rows) {
        const order = OrderMapper.toDomain(row, linesOf.get(row.id) ?? []);
        await this.projection.apply(order.snapshot(), true);
        written += 1;
      }
      after = rows[rows.length - 1].id;
    }
    await this.dataSource
      .getRepository(OrderSummaryOrmEntity)
      .createQueryBuilder()
      .delete()
      .where(`id NOT IN (SELECT o.id FROM orders o)`)
      .execute();
    this.logger.log(`order_summaries rebuilt: ${written} orders`);
    return written;
  }
}
