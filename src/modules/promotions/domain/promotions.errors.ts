import { BusinessRuleViolation, DuplicateError, NotFoundError } from '../../../shared/domain/domain-error.js';

/** Why a coupon cannot be applied to an order; `exhausted` covers the total and the per-customer limit. */
export type CouponRefusal = 'unknown' | 'disabled' | 'not_yet_valid' | 'expired' | 'below_minimum' | 'exhausted';

const EXPLANATIONS: Readonly<Record<CouponRefusal, string>> = {
  unknown: 'no such coupon exists',
  disabled: 'it has been disabled',
  not_yet_valid: 'it is not valid yet',
  expired: 'it has expired',
  below_minimum: 'the order’s subtotal is below the coupon’s minimum',
  exhausted: 'it has been used up',
};

/** 42205: the order cannot use this coupon; no order is created (SPEC §3 promotions). */
export class CouponNotApplicableError extends BusinessRuleViolation {
  readonly code = 42205;

  constructor(
    code: string,
    readonly refusal: CouponRefusal,
  ) {
    super(`Coupon ${code} cannot be applied: ${EXPLANATIONS[refusal]}`);
  }
}

export class CouponNotFoundError extends NotFoundError {
  constructor() {
    super('Coupon');
  }
}

/** The unique code index refused the write: another coupon (perhaps created a moment ago) has this code. */
export class CouponCodeTakenError extends DuplicateError {
  constructor(code: string) {
    super(`A coupon with code ${code} already exists`);
  }
}
