/** The discount a coupon gives one order, as ordering records it. */
export interface CouponQuote {
  /** The code as stored (upper-case), whatever case the customer typed. */
  readonly code: string;
  readonly discount: { readonly amount: number; readonly currency: string };
}

export interface CouponQuoteRequest {
  /** As the customer typed it. */
  readonly code: string;
  readonly userId: string;
  readonly subtotal: { readonly amount: number; readonly currency: string };
}

/**
 * Promotions' synchronous facade, for placing an order (SPEC §3: a facade interface + DI token where another context
 * needs an answer now). Provided by the promotions module, which is global for this token only.
 *
 * `quote` answers the discount, or throws 422 42205 when the code is unknown, disabled, outside its validity
 * window, above the subtotal's reach (`minSubtotal`) or already used up — then no order should be created. It
 * reserves nothing: the order saga reserves the redemption (`promotions.redemption_reserved` / `_refused`).
 */
export abstract class CouponQuotes {
  abstract quote(request: CouponQuoteRequest): Promise<CouponQuote>;
}
