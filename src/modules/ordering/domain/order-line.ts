import { ValidationFailedError, type FieldViolation } from '../../../shared/domain/domain-error.js';
import { Money } from '../../../shared/domain/money.js';

/** Enough for any basket, and small enough that totals stay exact integers. */
export const MAX_ORDER_LINES = 100;
export const MAX_LINE_QUANTITY = 10_000;

/** One product of an order at the price it had when the order was placed. */
export interface OrderLine {
  readonly productId: string;
  readonly quantity: number;
  readonly unitPrice: Money;
}

export function lineTotal(line: OrderLine): Money {
  return line.unitPrice.multiply(line.quantity);
}

/**
 * The rules a basket must meet, named by path (`lines[0].quantity`, SPEC §4a): at least one line, at most
 * MAX_ORDER_LINES, whole quantities from 1 to MAX_LINE_QUANTITY, each product once (a second line for the same
 * product is a client mistake to point at, not something to merge silently), one currency.
 */
export function checkLines(lines: readonly OrderLine[], currency: string): void {
  if (lines.length === 0) throw ValidationFailedError.forField('lines', 'must contain at least one line');
  if (lines.length > MAX_ORDER_LINES) {
    throw ValidationFailedError.forField('lines', `must contain at most ${MAX_ORDER_LINES} lines`);
  }
  const seen = new Set<string>();
  const violations = lines.flatMap((line, index) => {
    const problems: FieldViolation[] = [];
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_LINE_QUANTITY) {
      problems.push({
        field: `lines[${index}].quantity`,
        message: `must be an integer from 1 to ${MAX_LINE_QUANTITY}`,
      });
    }
    if (seen.has(line.productId)) {
      problems.push({ field: `lines[${index}].productId`, message: 'appears on an earlier line' });
    }
    seen.add(line.productId);
    if (line.unitPrice.currency !== currency || line.unitPrice.isNegative()) {
      problems.push({ field: `lines[${index}].productId`, message: `has no price in ${currency}` });
    }
    return problems;
  });
  if (violations.length > 0) throw new ValidationFailedError(violations);
}
