import { ValidationFailedError } from '../../../shared/domain/domain-error.js';
import { Money } from '../../../shared/domain/money.js';

/** A coupon takes either a percentage of the subtotal or a fixed amount off it (SPEC §3 promotions). */
export type CouponDiscount =
  { readonly kind: 'percent'; readonly percent: number } | { readonly kind: 'amount'; readonly amount: Money };

/** `{percent}`: an integer 1–100. */
export function percentOff(percent: number, field = 'discount.percent'): CouponDiscount {
  if (!Number.isInteger(percent) || percent < 1 || percent > 100) {
    throw ValidationFailedError.forField(field, 'must be an integer from 1 to 100');
  }
  return { kind: 'percent', percent };
}

/** `{amount}`: a positive amount of the shop's currency (a coupon worth nothing is a mistake, not a coupon). */
export function amountOff(
  amount: number,
  currency: string,
  shopCurrency: string,
  field = 'discount.amount',
): CouponDiscount {
  const money = Money.of(amount, currency, `${field}.amount`);
  if (money.currency !== shopCurrency) {
    throw ValidationFailedError.forField(`${field}.currency`, `must be ${shopCurrency}, the shop's currency`);
  }
  if (money.amount <= 0) throw ValidationFailedError.forField(`${field}.amount`, 'must be greater than zero');
  return { kind: 'amount', amount: money };
}

/**
 * What the coupon takes off `subtotal`: a percentage is rounded half-up once, to the minor unit (exact integer
 * arithmetic, in BigInt so that a large subtotal times 100 cannot lose precision); a fixed amount is taken whole.
 * Either way the discount never exceeds the subtotal, so a total is never negative.
 */
export function discountOn(discount: CouponDiscount, subtotal: Money): Money {
  if (discount.kind === 'amount') {
    return discount.amount.greaterThan(subtotal) ? subtotal : Money.of(discount.amount.amount, subtotal.currency);
  }
  const scaled = BigInt(subtotal.amount) * BigInt(discount.percent);
  const rounded = (scaled + 50n) / 100n; // half-up: amounts are never negative, so truncation is floor
  const amount = Number(rounded);
  return Money.of(Math.min(amount, subtotal.amount), subtotal.currency);
}

export function sameDiscount(a: CouponDiscount, b: CouponDiscount): boolean {
  if (a.kind === 'percent' && b.kind === 'percent') return a.percent === b.percent;
  if (a.kind === 'amount' && b.kind === 'amount') return a.amount.equals(b.amount);
  return false;
}

export function discountToJSON(
  discount: CouponDiscount,
): { percent: number } | { amount: { amount: number; currency: string } } {
  return discount.kind === 'percent' ? { percent: discount.percent } : { amount: discount.amount.toJSON() };
}
