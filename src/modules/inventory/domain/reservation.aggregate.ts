import { AggregateRoot } from '../../../shared/domain/aggregate-root.js';
import {
  StockCommitted,
  StockReleased,
  StockReservationFailed,
  StockReserved,
  type ReservedLine,
  type Shortage,
} from './inventory.events.js';
import type { Stock } from './stock.aggregate.js';

export const RESERVATION_STATUSES = ['reserved', 'rejected', 'released', 'committed'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export interface ReservationState {
  readonly orderId: string;
  readonly lines: readonly ReservedLine[];
  readonly status: ReservationStatus;
  readonly shortages: readonly Shortage[];
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Lines of one order merged per product (an order may list a product twice), in product-id order. */
export function mergeLines(lines: readonly ReservedLine[]): ReservedLine[] {
  const totals = new Map<string, number>();
  for (const line of lines) totals.set(line.productId, (totals.get(line.productId) ?? 0) + line.quantity);
  return [...totals.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([productId, quantity]) => ({ productId, quantity }));
}

/**
 * What inventory holds for one order: all its lines reserved, or nothing (all or nothing). Keyed by the order id,
 * which makes every operation idempotent: reserving an order twice answers the first decision, releasing or
 * committing twice changes nothing the second time.
 *
 * Transitions: reserved → released | committed; rejected is final (nothing was taken, so nothing to give back).
 */
export class Reservation extends AggregateRoot {
  private constructor(
    orderId: string,
    private readonly lines: readonly ReservedLine[],
    private status: ReservationStatus,
    private readonly shortages: readonly Shortage[],
    private readonly createdAt: Date,
    private updatedAt: Date,
    storedVersion?: number,
  ) {
    super(orderId, storedVersion);
  }

  /**
   * Reserves every line from `stocks` (locked by the caller, one per product of the order) or none: if any line
   * cannot be covered, no stock changes and the reservation is recorded as rejected with the shortages.
   */
  static place(
    orderId: string,
    lines: readonly ReservedLine[],
    stocks: ReadonlyMap<string, Stock>,
    now: Date,
  ): Reservation {
    const merged = mergeLines(lines);
    const shortages = merged
      .map((line) => ({ line, stock: stocks.get(line.productId) }))
      .filter(({ line, stock }) => stock === undefined || !stock.canReserve(line.quantity))
      .map(({ line, stock }) => ({
        productId: line.productId,
        requested: line.quantity,
        available: stock?.available ?? 0,
      }));
    if (shortages.length > 0) {
      const rejected = new Reservation(orderId, merged, 'rejected', shortages, now, now);
      rejected.record(new StockReservationFailed(orderId, now, shortages));
      return rejected;
    }
    for (const line of merged) stocks.get(line.productId)?.reserve(line.quantity, orderId, now);
    const reservation = new Reservation(orderId, merged, 'reserved', [], now, now);
    reservation.record(new StockReserved(orderId, now, merged));
    return reservation;
  }

  static restore(state: ReservationState): Reservation {
    return new Reservation(
      state.orderId,
      state.lines,
      state.status,
      state.shortages,
      state.createdAt,
      state.updatedAt,
      state.version,
    );
  }

  get orderId(): string {
    return this.id;
  }

  get isReserved(): boolean {
    return this.status === 'reserved';
  }

  get reservedLines(): readonly ReservedLine[] {
    return this.lines;
  }

  get missing(): readonly Shortage[] {
    return this.shortages;
  }

  get currentStatus(): ReservationStatus {
    return this.status;
  }

  /** Gives the units back to `stocks`. Only a held reservation releases anything; otherwise a no-op. */
  release(stocks: ReadonlyMap<string, Stock>, now: Date): void {
    if (this.status !== 'reserved') return;
    for (const line of this.lines) stocks.get(line.productId)?.release(line.quantity, this.id, now);
    this.moveTo('released', now);
    this.record(new StockReleased(this.id, now));
  }

  /** The order shipped: the reserved units leave `onHand`. Only a held reservation commits; otherwise a no-op. */
  commit(stocks: ReadonlyMap<string, Stock>, now: Date): void {
    if (this.status !== 'reserved') return;
    for (const line of this.lines) stocks.get(line.productId)?.commit(line.quantity, this.id, now);
    this.moveTo('committed', now);
    this.record(new StockCommitted(this.id, now));
  }

  snapshot(): ReservationState {
    return {
      orderId: this.id,
      lines: this.lines,
      status: this.status,
      shortages: this.shortages,
      version: this.version,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
    };
  }

  private moveTo(status: ReservationStatus, now: Date): void {
    this.status = status;
    this.updatedAt = now;
    this.touch();
  }
}
