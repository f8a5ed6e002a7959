import { ValidationFailedError } from '../../../shared/domain/domain-error.js';
import { Money } from '../../../shared/domain/money.js';
import type { CouponDiscount } from './coupon-discount.js';

/** Everything an admin decides about a coupon besides its code and status. */
export interface CouponTerms {
  readonly discount: CouponDiscount;
  /** The order's subtotal must be at least this (inclusive). */
  readonly minSubtotal: Money | undefined;
  /** Valid from this instant (inclusive) … */
  readonly validFrom: Date | undefined;
  /** … until this one (inclusive). */
  readonly validUntil: Date | undefined;
  /** Orders that may hold the coupon at once, over all customers; undefined = no limit. */
  readonly maxRedemptions: number | undefined;
  /** Orders one customer may hold it on at once (SPEC: default 1). */
  readonly maxRedemptionsPerUser: number;
}

export const DEFAULT_MAX_REDEMPTIONS_PER_USER = 1;
/** Far above any real campaign; keeps the counters comfortably inside an INT column. */
export const MAX_REDEMPTION_LIMIT = 1_000_000_000;

/** A limit: a whole number from 1 to MAX_REDEMPTION_LIMIT. */
export function checkLimit(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_REDEMPTION_LIMIT) {
    throw ValidationFailedError.forField(field, `must be an integer from 1 to ${MAX_REDEMPTION_LIMIT}`);
  }
  return value;
}

/** `minSubtotal`: money of the shop's currency, zero or more. */
export function checkMinSubtotal(amount: number, currency: string, shopCurrency: string, field = 'minSubtotal'): Money {
  const money = Money.of(amount, currency, `${field}.amount`);
  if (money.currency !== shopCurrency) {
    throw ValidationFailedError.forField(`${field}.currency`, `must be ${shopCurrency}, the shop's currency`);
  }
  if (money.isNegative()) throw ValidationFailedError.forField(`${field}.amount`, 'must not be negative');
  return money;
}

/** The window must not end before it starts (checked on the merged terms, so a PATCH of one end is checked too). */
export function checkWindow(terms: CouponTerms): void {
  if (terms.validFrom !== undefined && terms.validUntil !== undefined && terms.validUntil < terms.validFrom) {
    throw ValidationFailedError.forField('validUntil', 'must not be before validFrom');
  }
}
