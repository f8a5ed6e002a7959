import { PLATFORM_ERROR_CODES } from '../../../platform/http/error-catalog.js';
import { DomainError } from '../../../shared/domain/domain-error.js';
import { IDENTITY_ERROR_CODES } from './identity.error-codes.js';
import * as identityErrors from './identity.errors.js';

/**
 * Every code an identity error carries is declared for clients: identity's own in IDENTITY_ERROR_CODES (which the
 * module registers with the error catalog), shared ones by the platform. An undeclared code would reach clients as
 * a 500 (the exception filter answers registered codes only). New error classes are picked up by the export scan.
 */
describe('identity error codes', () => {
  const errors = Object.entries(identityErrors)
    .filter(([, value]) => typeof value === 'function' && value.prototype instanceof DomainError)
    .map(([name, ErrorClass]) => {
      const error = new (ErrorClass as unknown as new (...args: unknown[]) => DomainError)('x');
      return { name, code: error.code };
    });

  it('finds identity’s error classes', () => {
    expect(errors.map((error) => error.name)).toEqual(
      expect.arrayContaining(['SelfLockoutError', 'DeletedAccountError']),
    );
  });

  it.each(errors.map((error) => [error.name, error.code]))('%s carries a declared code (%i)', (_name, code) => {
    expect(code in IDENTITY_ERROR_CODES || code in PLATFORM_ERROR_CODES).toBe(true);
  });

  it('declares only codes of its own: none repeats a platform code', () => {
    expect(Object.keys(IDENTITY_ERROR_CODES).filter((code) => code in PLATFORM_ERROR_CODES)).toEqual([]);
  });
});
