import { ValidationFailedError } from '../../../shared/domain/domain-error.js';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/** The rule a plain password must satisfy before it is hashed (SPEC §3: 8–128 characters). */
export function assertAcceptablePassword(plain: string, field = 'password'): void {
  const length = [...plain].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
    throw ValidationFailedError.forField(field, `must be ${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters`);
  }
}
