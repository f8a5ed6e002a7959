import type { RejectionReason } from './order-status.js';

/**
 * The contexts that must each reserve something before an order is CONFIRMED (README "Life of an order"):
 * inventory the lines' stock, always; promotions a redemption of the order's coupon, when it has one. The saga is
 * choreographed: each participant answers `ordering.order_placed` with an event of its own, in any order.
 */
export const SAGA_PARTICIPANTS = ['coupon', 'stock'] as const;
export type SagaParticipant = (typeof SAGA_PARTICIPANTS)[number];

/** What a participant's refusal makes the order's rejection reason. */
export const REFUSAL_REASONS: Readonly<Record<SagaParticipant, RejectionReason>> = {
  stock: 'out_of_stock',
  coupon: 'coupon_exhausted',
};

export function isSagaParticipant(value: string): value is SagaParticipant {
  return (SAGA_PARTICIPANTS as readonly string[]).includes(value);
}
