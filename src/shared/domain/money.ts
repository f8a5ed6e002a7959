import { ValidationFailedError } from './domain-error.js';
import { ValueObject } from './value-object.js';

/** ISO 4217 alphabetic code. */
export type CurrencyCode = string;

/**
 * An amount in integer minor units (cents) of one currency. No floats anywhere: arithmetic stays exact, and
 * amounts beyond Number.MAX_SAFE_INTEGER are refused instead of silently losing precision.
 */
export class Money extends ValueObject<{ amount: number; currency: CurrencyCode }> {
  static of(amount: number, currency: CurrencyCode, field = 'amount'): Money {
    if (!Number.isSafeInteger(amount)) {
      throw ValidationFailedError.forField(field, 'must be an integer number of minor units');
    }
    if (!/^[A-Z]{3}$/.test(currency)) {
      throw ValidationFailedError.forField(field.replace(/amount$/, 'currency'), 'must be an ISO 4217 code');
    }
    // `+ 0` turns -0 into 0, so zero amounts compare equal however they were computed.
    return new Money({ amount: amount + 0, currency });
  }

  static zero(currency: CurrencyCode): Money {
    return Money.of(0, currency);
  }

  get amount(): number {
    return this.props.amount;
  }

  get currency(): CurrencyCode {
    return this.props.currency;
  }

  add(other: Money): Money {
    this.assertSameCurrency(other);
    return Money.of(this.amount + other.amount, this.currency);
  }

  subtract(other: Money): Money {
    this.assertSameCurrency(other);
    return Money.of(this.amount - other.amount, this.currency);
  }

  multiply(factor: number): Money {
    if (!Number.isSafeInteger(factor)) throw ValidationFailedError.forField('quantity', 'must be an integer');
    return Money.of(this.amount * factor, this.currency);
  }

  isNegative(): boolean {
    return this.amount < 0;
  }

  greaterThan(other: Money): boolean {
    this.assertSameCurrency(other);
    return this.amount > other.amount;
  }

  toJSON(): { amount: number; currency: CurrencyCode } {
    return { amount: this.amount, currency: this.currency };
  }

  private assertSameCurrency(other: Money): void {
    if (other.currency !== this.currency) {
      throw ValidationFailedError.forField('currency', `expected ${this.currency}, got ${other.currency}`);
    }
  }
}
