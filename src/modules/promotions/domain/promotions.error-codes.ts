/**
 * The catalog codes promotions owns, in the client's words; promotions.module.ts registers them with the platform's
 * error catalog (OpenAPI and the exception filter).
 */
export const PROMOTIONS_ERROR_CODES = {
  42205: 'Coupon not applicable: unknown, disabled, outside its validity window, below its minimum subtotal or used up',
} as const;
