import { BusinessRuleViolation, ValidationFailedError } from '../../../shared/domain/domain-error.js';

/** 42203: stock cannot cover the change (an adjustment below what is reserved, or a reservation beyond it). */
export class OutOfStockError extends BusinessRuleViolation {
  readonly code = 42203;

  constructor(productId: string, requested: number, available: number) {
    super(`Product ${productId}: ${requested} requested, ${available} available`);
  }
}

/** Quantities are whole units, at least one, and small enough that sums stay exact. */
export const MAX_QUANTITY = 1_000_000_000;

export function checkQuantity(quantity: number, field: string): number {
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
    throw ValidationFailedError.forField(field, `must be an integer from 1 to ${MAX_QUANTITY}`);
  }
  return quantity;
}
