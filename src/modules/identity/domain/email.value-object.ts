import { ValidationFailedError } from '../../../shared/domain/domain-error.js';
import { ValueObject } from '../../../shared/domain/value-object.js';

const MAX_LENGTH = 254;
// Deliberately simple: one @, no spaces, a dot in the domain. Deliverability is proven by mail, not by regex.
const SHAPE = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;

/** An email address, trimmed and lower-cased so uniqueness and look-ups are case-insensitive. */
export class Email extends ValueObject<{ value: string }> {
  static create(raw: string, field = 'email'): Email {
    const value = raw.trim().toLowerCase();
    if (value.length === 0 || value.length > MAX_LENGTH || !SHAPE.test(value)) {
      throw ValidationFailedError.forField(field, 'must be a valid email address');
    }
    return new Email({ value });
  }

  get value(): string {
    return this.props.value;
  }
}
