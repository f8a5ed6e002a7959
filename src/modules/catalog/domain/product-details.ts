import { ValidationFailedError, type FieldViolation } from '../../../shared/domain/domain-error.js';

export const PRODUCT_NAME_MAX = 200;
export const PRODUCT_DESCRIPTION_MAX = 4000;
/** Something visible: the DTOs check it too, so a blank name is listed with every other invalid field. */
export const PRODUCT_NAME_PATTERN = /\S/;

/**
 * A lone UTF-16 surrogate (`"\ud800"` is valid JSON) is not text: the database drivers encode it as a replacement
 * character, so what was stored would silently differ from what was sent and answered. A 400 instead.
 */
const NOT_UNICODE = 'must be valid Unicode text (no lone surrogates)';

/**
 * The descriptive text of a product. Stored exactly as sent (no trimming, no escaping: the API returns JSON and
 * SQL is always parameterised), but a name must contain something visible.
 */
export function checkProductName(name: string, field = 'name'): string {
  const problems = nameViolations(name, field);
  if (problems.length > 0) throw new ValidationFailedError(problems);
  return name;
}

export function checkProductDescription(description: string, field = 'description'): string {
  if (description.length > PRODUCT_DESCRIPTION_MAX) {
    throw ValidationFailedError.forField(field, `must be at most ${PRODUCT_DESCRIPTION_MAX} characters`);
  }
  if (!description.isWellFormed()) throw ValidationFailedError.forField(field, NOT_UNICODE);
  return description;
}

function nameViolations(name: string, field: string): FieldViolation[] {
  if (!PRODUCT_NAME_PATTERN.test(name)) return [{ field, message: 'must not be blank' }];
  if (name.length > PRODUCT_NAME_MAX) return [{ field, message: `must be at most ${PRODUCT_NAME_MAX} characters` }];
  if (!name.isWellFormed()) return [{ field, message: NOT_UNICODE }];
  return [];
}
