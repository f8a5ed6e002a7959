import type { Page } from '../../../../shared/application/cursor.js';
import type { OrderView } from '../order-view.js';

export interface OrderListFilter {
  /** Only this user's orders; undefined lists everyone's (admins only — the query handler decides). */
  readonly userId: string | undefined;
  readonly limit: number;
  readonly cursor: string | undefined;
}

/**
 * The query side (CQRS): `order_summaries`, a table the ordering events project into inside the transaction of
 * the change (so a client reads its own write at once), rebuildable from the orders table.
 */
export abstract class OrderSummaryReadModel {
  abstract find(orderId: string): Promise<OrderView | undefined>;
  /** Newest first (createdAt, then id, descending), keyset-paginated. */
  abstract list(filter: OrderListFilter): Promise<Page<OrderView>>;
}

/** Rebuilds `order_summaries` from the orders table (after a bug in the projection, or a new column). */
export abstract class OrderSummaryRebuild {
  /** Answers how many summaries were written. Safe while the service runs: an older snapshot never wins. */
  abstract rebuild(): Promise<number>;
}
