import { Injectable, type OnModuleInit } from '@nestjs/common';
import { BeforeCommit } from '../../../../platform/persistence/before-commit.js';
import { executeSql, insertIgnoringDuplicates, sqlDate } from '../../../../platform/persistence/raw-sql.js';
import { TransactionContext } from '../../../../platform/persistence/transaction-context.js';
import { toOrderView } from '../../application/order-view.js';
import { OrderEvent, type OrderSnapshot } from '../../domain/order.events.js';
import { OrderSummaryOrmEntity } from './order-summary.orm-entity.js';

function toSummaryRow(snapshot: OrderSnapshot): OrderSummaryOrmEntity {
  const row = new OrderSummaryOrmEntity();
  row.id = snapshot.orderId;
  row.userId = snapshot.userId;
  row.status = snapshot.status;
  row.view = JSON.stringify(toOrderView(snapshot));
  row.version = snapshot.version;
  row.createdAt = new Date(snapshot.createdAt);
  row.updatedAt = new Date(snapshot.updatedAt);
  return row;
}

/**
 * Keeps `order_summaries` (the read model, CQRS) from ordering's events. It runs inside the transaction that
 * changed the order (`BeforeCommit`): the summary commits with the change, so a client that got 201 or 200
 * reads that state at once, on any instance (SPEC §4a read-your-writes), and a rolled-back change leaves no trace.
 *
 * Every event carries the whole order and its version, so applying one is an upsert that only a newer version
 * wins: an event applied twice, late or out of order changes nothing. The rebuild uses the same write.
 */
@Injectable()
export class OrderSummaryProjection implements OnModuleInit {
  constructor(
    private readonly beforeCommit: BeforeCommit,
    private readonly context: TransactionContext,
  ) {}

  onModuleInit(): void {
    this.beforeCommit.on([OrderEvent], (event) => this.apply(event.snapshot));
  }

  /**
   * Writes the snapshot unless the summary already holds a newer version (or, unless `replaceSameVersion`, the same
   * one). One statement in the common cases: an INSERT for a new order, an UPDATE for a change.
   */
  async apply(snapshot: OrderSnapshot, replaceSameVersion = false): Promise<void> {
    const manager = this.context.manager();
    const row = toSummaryRow(snapshot);
    // Plain SQL (raw-sql.ts): this runs in every order's transaction, and the query builder costs more CPU than the
    // database spends on the statement.
    if (snapshot.version > 1 || replaceSameVersion) {
      const updated = await executeSql(
        manager,
        `UPDATE order_summaries SET status = ?, view = ?, version = ?, updated_at = ? WHERE id = ? AND version ${
          replaceSameVersion ? '<=' : '<'
        } ?`,
        [row.status, row.view, row.version, sqlDate(manager, row.updatedAt), row.id, row.version],
      );
      if (updated === 1) return;
    }
    // No row yet (a new order, or a summary lost before a rebuild) — or a row at least as new: left as it is.
    await executeSql(
      manager,
      `${insertIgnoringDuplicates(manager)} INTO order_summaries (id, user_id, status, view, version, created_at, ` +
        'updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [
        row.id,
        row.userId,
        row.status,
        row.view,
        row.version,
        sqlDate(manager, row.createdAt),
        sqlDate(manager, row.updatedAt),
      ],
    );
  }
}
