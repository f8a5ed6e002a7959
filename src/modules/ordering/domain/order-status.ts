/** The life of an order (SPEC §3). PENDING until the saga decides; SHIPPED, REJECTED, CANCELLED, EXPIRED are final. */
export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'PAID', 'SHIPPED', 'REJECTED', 'CANCELLED', 'EXPIRED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * Every transition the state machine allows; anything else is 422 42204 (SPEC §4a), never a silent no-op.
 *
 *   PENDING ──stock reserved──▶ CONFIRMED ──paid──▶ PAID ──shipped──▶ SHIPPED
 *      │ out of stock / timeout     │ payment timeout   │
 *      ▼                            ▼                   │
 *   REJECTED                     EXPIRED                │
 *   PENDING, CONFIRMED, PAID ──cancelled──▶ CANCELLED ◀─┘ (a paid order is refunded)
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: ['CONFIRMED', 'REJECTED', 'CANCELLED'],
  CONFIRMED: ['PAID', 'CANCELLED', 'EXPIRED'],
  PAID: ['SHIPPED', 'CANCELLED'],
  SHIPPED: [],
  REJECTED: [],
  CANCELLED: [],
  EXPIRED: [],
};

export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

/**
 * Why an order ended where it did (`reason` in the API): `REJECTED` by the saga (`out_of_stock`, later
 * `coupon_exhausted`) or its confirmation deadline (`timeout`); `CANCELLED` by its owner or an admin; `EXPIRED`
 * unpaid past ORDER_PAYMENT_TIMEOUT.
 */
export type RejectionReason = 'out_of_stock' | 'timeout' | 'coupon_exhausted';
export type CancellationReason = 'cancelled_by_customer' | 'cancelled_by_admin';
export type ExpiryReason = 'payment_timeout';
export type OrderReason = RejectionReason | CancellationReason | ExpiryReason;
