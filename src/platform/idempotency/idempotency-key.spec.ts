import { ValidationFailedError } from '../../shared/domain/domain-error.js';
import { parseIdempotencyKey } from './idempotency-key.js';

function violationOf(header: string | string[] | undefined): ValidationFailedError {
  try {
    parseIdempotencyKey(header);
  } catch (error) {
    if (error instanceof ValidationFailedError) return error;
    throw error;
  }
  throw new Error(`"${String(header)}" was accepted`);
}

describe('parseIdempotencyKey', () => {
  it('accepts 1 to 255 characters of visible ASCII, as sent', () => {
    expect(parseIdempotencyKey('a')).toBe('a');
    expect(parseIdempotencyKey('0190f3c2-7b1e-7cc0-8a4e-3b2f1d0c9e8a')).toBe('0190f3c2-7b1e-7cc0-8a4e-3b2f1d0c9e8a');
    expect(parseIdempotencyKey('!~{}"\\')).toBe('!~{}"\\');
    expect(parseIdempotencyKey('k'.repeat(255))).toHaveLength(255);
  });

  it('refuses a missing or empty key with 40000 naming the header', () => {
    for (const header of [undefined, '']) {
      const error = violationOf(header);
      expect(error.code).toBe(40000);
      expect(error.violations).toEqual([{ field: 'Idempotency-Key', message: 'is required on this route' }]);
    }
  });

  it('refuses keys that are too long, contain spaces, control or non-ASCII characters, or are sent twice', () => {
    for (const header of [
      'k'.repeat(256),
      'has space',
      'tab\there',
      'nul\0',
      'del\x7f',
      'clé',
      'emoji🙂',
      ['a', 'b'],
    ]) {
      const error = violationOf(header);
      expect(error.code).toBe(40000);
      expect(error.violations).toHaveLength(1);
      expect(error.violations[0]?.field).toBe('Idempotency-Key');
    }
  });
});
