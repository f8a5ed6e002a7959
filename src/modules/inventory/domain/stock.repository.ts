import type { Reservation } from './reservation.aggregate.js';
import type { Stock } from './stock.aggregate.js';

/**
 * Port: stock rows and reservations. Writers lock what they change: `lockStocks` takes the rows in product-id
 * order (`SELECT … FOR UPDATE` on MySQL; SQLite runs one transaction at a time), so two orders sharing products
 * wait for each other instead of deadlocking, and nothing they read can change before they commit.
 */
export abstract class StockRepository {
  /** Current stock without locking (reads); a never-stocked product comes back as `Stock.empty`. */
  abstract find(productId: string): Promise<Stock>;
  /** Current stock of several products without locking, in one query; never-stocked products are `Stock.empty`. */
  abstract findMany(productIds: readonly string[]): Promise<Map<string, Stock>>;
  /** Locks and loads the stock of each product, in product-id order; never-stocked products are `Stock.empty`. */
  abstract lockStocks(productIds: readonly string[]): Promise<Map<string, Stock>>;
  abstract saveStock(stock: Stock): Promise<void>;
  /** The reservation of an order, without locking (to learn which stock rows to lock). */
  abstract findReservation(orderId: string): Promise<Reservation | undefined>;
  /** The reservation of an order, locked for the rest of the transaction; undefined when there is none. */
  abstract lockReservation(orderId: string): Promise<Reservation | undefined>;
  abstract saveReservation(reservation: Reservation): Promise<void>;
}
