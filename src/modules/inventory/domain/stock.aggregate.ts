import { AggregateRoot } from '../../../shared/domain/aggregate-root.js';
import { ValidationFailedError } from '../../../shared/domain/domain-error.js';
import { StockChanged } from './inventory.events.js';
import { MAX_QUANTITY, OutOfStockError } from './inventory.errors.js';
import type { MovementKind, StockMovement } from './stock-movement.js';

export interface StockState {
  readonly productId: string;
  readonly onHand: number;
  readonly reserved: number;
  readonly version: number;
  readonly updatedAt: Date;
}

/**
 * The stock of one product: units on hand and units reserved for orders not yet shipped. The invariant
 * `0 ≤ reserved ≤ onHand` holds after every method (the database repeats it as CHECK constraints), so
 * `available = onHand − reserved` is never negative and nothing is ever sold twice.
 *
 * A product that was never stocked has no row: it reads as zero (`Stock.empty`) and gets one on its first change.
 * Every change records a `StockChanged` event and a movement for the audit trail.
 */
export class Stock extends AggregateRoot {
  private readonly movements: StockMovement[] = [];
  private changedSinceLoad = false;

  private constructor(
    productId: string,
    private onHand: number,
    private reserved: number,
    private updatedAt: Date | undefined,
    storedVersion?: number,
  ) {
    super(productId, storedVersion);
  }

  /** A product nobody has stocked yet: zero on hand, zero reserved, not stored. */
  static empty(productId: string): Stock {
    return new Stock(productId, 0, 0, undefined);
  }

  static restore(state: StockState): Stock {
    return new Stock(state.productId, state.onHand, state.reserved, state.updatedAt, state.version);
  }

  get productId(): string {
    return this.id;
  }

  get available(): number {
    return this.onHand - this.reserved;
  }

  /** An admin's correction or delivery: `delta` units in (positive) or out (negative); never below what is reserved. */
  adjust(delta: number, reason: string, now: Date): void {
    if (!Number.isSafeInteger(delta) || delta === 0 || Math.abs(delta) > MAX_QUANTITY) {
      throw ValidationFailedError.forField(
        'delta',
        `must be a non-zero integer between -${MAX_QUANTITY} and ${MAX_QUANTITY}`,
      );
    }
    if (delta < 0 && -delta > this.available) throw new OutOfStockError(this.id, -delta, this.available);
    this.change('adjustment', delta, 0, now, { reason });
  }

  canReserve(quantity: number): boolean {
    return quantity <= this.available;
  }

  reserve(quantity: number, orderId: string, now: Date): void {
    if (!this.canReserve(quantity)) throw new OutOfStockError(this.id, quantity, this.available);
    this.change('reservation', 0, quantity, now, { orderId });
  }

  /** Gives reserved units back (order rejected, cancelled or expired). */
  release(quantity: number, orderId: string, now: Date): void {
    this.change('release', 0, -Math.min(quantity, this.reserved), now, { orderId });
  }

  /** The order shipped: its reserved units leave the warehouse. */
  commit(quantity: number, orderId: string, now: Date): void {
    const units = Math.min(quantity, this.reserved);
    this.change('commit', -units, -units, now, { orderId });
  }

  /** The movements recorded since the last call, for the repository to append (each is written once). */
  takeMovements(): StockMovement[] {
    return this.movements.splice(0, this.movements.length);
  }

  snapshot(): StockState {
    return {
      productId: this.id,
      onHand: this.onHand,
      reserved: this.reserved,
      version: this.storedOrCurrentVersion(),
      updatedAt: this.updatedAt ?? new Date(0),
    };
  }

  /** Stock as the API shows it; a never-stocked product is all zeros at version 0. */
  view(): { onHand: number; reserved: number; available: number; version: number } {
    return {
      onHand: this.onHand,
      reserved: this.reserved,
      available: this.available,
      version: this.storedOrCurrentVersion(),
    };
  }

  /** Whether there is anything to write: an empty stock nobody changed stays without a row. */
  get needsSaving(): boolean {
    return this.changedSinceLoad;
  }

  private storedOrCurrentVersion(): number {
    return this.isNew && !this.changedSinceLoad ? 0 : this.version;
  }

  private change(
    kind: MovementKind,
    onHandDelta: number,
    reservedDelta: number,
    now: Date,
    context: { orderId?: string; reason?: string },
  ): void {
    if (onHandDelta === 0 && reservedDelta === 0) return;
    this.onHand += onHandDelta;
    this.reserved += reservedDelta;
    this.updatedAt = now;
    this.changedSinceLoad = true;
    this.touch();
    this.movements.push({
      productId: this.id,
      kind,
      onHandDelta,
      reservedDelta,
      onHandAfter: this.onHand,
      reservedAfter: this.reserved,
      ...context,
      occurredAt: now,
    });
    this.record(new StockChanged(this.id, now, this.onHand, this.reserved));
  }
}
