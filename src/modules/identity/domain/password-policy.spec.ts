import fc from 'fast-check';
import { assertAcceptablePassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-policy.js';

const invalidPassword = (field = 'password') =>
  expect.objectContaining({ code: 40000, violations: [expect.objectContaining({ field })] });

/** 100 runs take well under a second; a 2-core CI machine under a parallel suite has been seen to need over 5 s. */
const PROPERTY_TIMEOUT_MS = 30_000;

const password = (minLength: number, maxLength: number) => fc.string({ unit: 'binary', minLength, maxLength });

describe('assertAcceptablePassword', () => {
  it(
    'accepts 8–128 code points, blanks included and nothing trimmed',
    () => {
      fc.assert(
        fc.property(password(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH), (plain) => {
          expect(() => assertAcceptablePassword(plain)).not.toThrow();
        }),
      );
      expect(() => assertAcceptablePassword('       a')).not.toThrow();
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'rejects fewer than 8 code points on the given field',
    () => {
      fc.assert(
        fc.property(password(0, PASSWORD_MIN_LENGTH - 1), (plain) => {
          expect(() => assertAcceptablePassword(plain, 'newPassword')).toThrow(invalidPassword('newPassword'));
        }),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'rejects more than 128 code points',
    () => {
      fc.assert(
        fc.property(password(PASSWORD_MAX_LENGTH + 1, 400), (plain) => {
          expect(() => assertAcceptablePassword(plain)).toThrow(invalidPassword());
        }),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it('counts astral characters once: 4 emoji are too short, 128 emoji are fine', () => {
    expect(() => assertAcceptablePassword('🔑'.repeat(4))).toThrow(invalidPassword());
    expect(() => assertAcceptablePassword('🔑'.repeat(8))).not.toThrow();
    expect(() => assertAcceptablePassword('🔑'.repeat(128))).not.toThrow();
    expect(() => assertAcceptablePassword('🔑'.repeat(129))).toThrow(invalidPassword());
  });
});
