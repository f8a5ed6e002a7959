import { ValidationFailedError } from '../../../shared/domain/domain-error.js';
import { ValueObject } from '../../../shared/domain/value-object.js';

const SKU_PATTERN = /^[A-Z0-9][A-Z0-9._-]{0,63}$/;

/**
 * What a request body may send as a SKU: the same shape in either case, surrounding blanks allowed. The DTOs check
 * it so that a bad SKU is listed with every other invalid field of the body (the domain check runs only once the
 * body is well-formed); `Sku.create` stays the rule.
 */
export const SKU_INPUT_PATTERN = /^\s*[A-Za-z0-9][A-Za-z0-9._-]{0,63}\s*$/;
export const SKU_RULE = 'must be 1–64 of A–Z 0–9 . _ -, starting with a letter or digit';

/**
 * A stock-keeping unit: 1–64 of `A–Z 0–9 . _ -`, starting with a letter or digit. Accepted in any case and kept
 * upper-case, so `ab-1` and `AB-1` are one product (warehouse labels are not case-sensitive) and the exact-SKU
 * search (`GET /products?q=`) needs no case folding on an indexed column.
 */
export class Sku extends ValueObject<{ value: string }> {
  static create(raw: string, field = 'sku'): Sku {
    const value = raw.trim().toUpperCase();
    if (!SKU_PATTERN.test(value)) {
      throw ValidationFailedError.forField(field, SKU_RULE);
    }
    return new Sku({ value });
  }

  /** For the search box: a query that could be a SKU, normalised like one; anything else is not one. */
  static parse(raw: string): Sku | undefined {
    const value = raw.trim().toUpperCase();
    return SKU_PATTERN.test(value) ? new Sku({ value }) : undefined;
  }

  get value(): string {
    return this.props.value;
  }
}
