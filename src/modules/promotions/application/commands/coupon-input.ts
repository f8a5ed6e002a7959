import { ValidationFailedError } from '../../../../shared/domain/domain-error.js';
import type { Money } from '../../../../shared/domain/money.js';
import { amountOff, percentOff, type CouponDiscount } from '../../domain/coupon-discount.js';
import { checkMinSubtotal } from '../../domain/coupon-terms.js';

/** Money as a command carries it: what the client sent, not yet checked against the shop's currency. */
export interface MoneyInput {
  readonly amount: number;
  readonly currency: string;
}

/** `discount` as sent: exactly one of the two must be present. */
export interface DiscountInput {
  readonly percent?: number;
  readonly amount?: MoneyInput;
}

export const DISCOUNT_RULE = 'must have exactly one of percent or amount';

/** `{percent}` or `{amount}` — both or neither is a 400 on `discount` itself. */
export function checkDiscount(input: DiscountInput, shopCurrency: string): CouponDiscount {
  const hasPercent = input.percent !== undefined;
  const hasAmount = input.amount !== undefined;
  if (hasPercent === hasAmount) throw ValidationFailedError.forField('discount', DISCOUNT_RULE);
  if (input.amount !== undefined) return amountOff(input.amount.amount, input.amount.currency, shopCurrency);
  return percentOff(input.percent as number);
}

/** `minSubtotal` as sent: money of the shop's currency, zero or more. */
export function checkMinSubtotalInput(input: MoneyInput, shopCurrency: string, field: string): Money {
  return checkMinSubtotal(input.amount, input.currency, shopCurrency, field);
}

/**
 * An ISO-8601 date-time with an explicit offset (`Z` or `±hh:mm`), seconds and fraction optional. The offset is
 * required: a local time would mean whatever the server's time zone is.
 */
export const INSTANT_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-](\d{2}):(\d{2}))$/;
export const INSTANT_RULE = 'must be an ISO-8601 date-time with an offset, e.g. 2026-01-31T23:59:59Z';

/** Datetime columns hold years 1000–9999 (MariaDB's DATETIME range); the API keeps to four-digit years. */
const MIN_YEAR = 1000;
const MAX_YEAR = 9999;

/**
 * The instant `raw` names, or undefined when it is not a real one. Stricter than Date.parse, which rolls
 * `2026-02-30` over into March: every component must be in range for its calendar month.
 */
export function toInstant(raw: string): Date | undefined {
  const match = INSTANT_PATTERN.exec(raw);
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0));
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (match[8] !== 'Z' && (Number(match[9]) > 23 || Number(match[10]) > 59)) return undefined;
  const instant = new Date(raw);
  if (Number.isNaN(instant.getTime())) return undefined;
  const utcYear = instant.getUTCFullYear();
  return utcYear < MIN_YEAR || utcYear > MAX_YEAR ? undefined : instant;
}

export function parseInstant(raw: string, field: string): Date {
  const instant = toInstant(raw);
  if (instant === undefined) throw ValidationFailedError.forField(field, INSTANT_RULE);
  return instant;
}
