export interface ReservationLine {
  readonly productId: string;
  /** Whole units, at least 1. A product may appear on several lines: they are reserved together. */
  readonly quantity: number;
}

export type ReservationOutcome =
  | { readonly status: 'reserved'; readonly lines: readonly ReservationLine[] }
  | {
      readonly status: 'rejected';
      readonly reason: 'out_of_stock';
      readonly shortages: readonly {
        readonly productId: string;
        readonly requested: number;
        readonly available: number;
      }[];
    };

/**
 * Inventory's facade for ordering (SPEC §3): stock reserved per order, all lines or none, never oversold.
 *
 * Every method joins the caller's unit of work when there is one (so an order's state change and its
 * reservation commit together) and is idempotent per order id: `reserve` answers the first decision again,
 * `release` and `commit` change nothing the second time or for an order with nothing held.
 */
export abstract class StockReservations {
  abstract reserve(orderId: string, lines: readonly ReservationLine[]): Promise<ReservationOutcome>;
  /** Gives back what the order holds (rejected, cancelled or expired order). */
  abstract release(orderId: string): Promise<void>;
  /** The order shipped: what it holds leaves `onHand`. */
  abstract commit(orderId: string): Promise<void>;
}
