import { ValidationFailedError } from '../../../shared/domain/domain-error.js';
import { ValueObject } from '../../../shared/domain/value-object.js';

export const DISPLAY_NAME_MAX_LENGTH = 100;

/** 1–100 characters (SPEC §4a), counted in Unicode code points (an emoji is one, a ZWJ sequence several), surrounding blanks removed. */
export class DisplayName extends ValueObject<{ value: string }> {
  static create(raw: string, field = 'displayName'): DisplayName {
    const value = raw.trim();
    const length = [...value].length;
    if (length < 1 || length > DISPLAY_NAME_MAX_LENGTH) {
      throw ValidationFailedError.forField(field, `must be 1–${DISPLAY_NAME_MAX_LENGTH} characters`);
    }
    return new DisplayName({ value });
  }

  get value(): string {
    return this.props.value;
  }
}
