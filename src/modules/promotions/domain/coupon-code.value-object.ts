import { ValidationFailedError } from '../../../shared/domain/domain-error.js';
import { ValueObject } from '../../../shared/domain/value-object.js';

const CODE_PATTERN = /^[A-Z0-9-]{3,32}$/;

/** What a request may send as a code: the same shape in either case, surrounding blanks allowed (DTO check). */
export const COUPON_CODE_INPUT_PATTERN = /^\s*[A-Za-z0-9-]{3,32}\s*$/;
export const COUPON_CODE_RULE = 'must be 3–32 of A–Z 0–9 -';

/**
 * A coupon's code (SPEC §3 promotions): 3–32 of `A–Z 0–9 -`, accepted in any case and kept upper-case, so
 * `summer-10` and `SUMMER-10` are one coupon — customers type codes by hand — and the unique index needs no
 * case folding.
 */
export class CouponCode extends ValueObject<{ value: string }> {
  static create(raw: string, field = 'code'): CouponCode {
    const code = CouponCode.parse(raw);
    if (code === undefined) throw ValidationFailedError.forField(field, COUPON_CODE_RULE);
    return code;
  }

  /** A code as a customer typed it, normalised; undefined when it cannot be any coupon's code. */
  static parse(raw: string): CouponCode | undefined {
    const value = raw.trim().toUpperCase();
    return CODE_PATTERN.test(value) ? new CouponCode({ value }) : undefined;
  }

  get value(): string {
    return this.props.value;
  }
}
