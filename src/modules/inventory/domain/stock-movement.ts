/** Why stock changed; every change is one movement, kept for audit (inventory_movements, append-only). */
export const MOVEMENT_KINDS = ['adjustment', 'reservation', 'release', 'commit'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

export interface StockMovement {
  readonly productId: string;
  readonly kind: MovementKind;
  readonly onHandDelta: number;
  readonly reservedDelta: number;
  readonly onHandAfter: number;
  readonly reservedAfter: number;
  /** The order a reservation, release or commit belongs to. */
  readonly orderId?: string;
  /** The admin's reason for an adjustment. */
  readonly reason?: string;
  readonly occurredAt: Date;
}
