import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCatalog, ErrorCatalogConflictError, PLATFORM_ERROR_CODES } from './error-catalog.js';

describe('ErrorCatalog', () => {
  it('starts with the platform’s codes and adds what a context registers, ordered by code', () => {
    const catalog = new ErrorCatalog();
    catalog.register('shipping', { 42261: 'Parcel lost', 42260: 'Parcel too heavy' });
    expect(catalog.get(42260)).toEqual({ code: 42260, status: 422, meaning: 'Parcel too heavy', owner: 'shipping' });
    const codes = catalog.entries().map((entry) => entry.code);
    expect(codes).toEqual([...codes].sort((a, b) => a - b));
    expect(codes).toEqual(expect.arrayContaining([40000, 50300, 42260, 42261]));
  });

  it('accepts the same registration twice (one process may build several apps)', () => {
    const catalog = new ErrorCatalog();
    catalog.register('shipping', { 42260: 'Parcel too heavy' });
    expect(() => catalog.register('shipping', { 42260: 'Parcel too heavy' })).not.toThrow();
  });

  it('refuses a code another owner holds, and numbers that are not catalog codes', () => {
    const catalog = new ErrorCatalog();
    catalog.register('shipping', { 42260: 'Parcel too heavy' });
    expect(() => catalog.register('billing', { 42260: 'Card declined' })).toThrow(ErrorCatalogConflictError);
    expect(() => catalog.register('billing', { 40000: 'Bad' })).toThrow(/already registered by platform/);
    expect(() => catalog.register('billing', { 4220: 'Too short' })).toThrow(ErrorCatalogConflictError);
    expect(() => catalog.register('billing', { 60000: 'Not HTTP' })).toThrow(ErrorCatalogConflictError);
  });

  // ARCHITECTURE §6: adding a context changes nothing in src/platform for its error codes.
  it('no file in src/platform names a code the platform does not own', () => {
    const root = join(import.meta.dirname, '..');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter(
      (file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'),
    );
    const foreign = files.flatMap((file) =>
      [...readFileSync(join(root, file), 'utf8').matchAll(/\b4[0-9]{4}\b|\b5[0-9]{4}\b/g)]
        .map((match) => Number(match[0]))
        .filter((code) => !(code in PLATFORM_ERROR_CODES))
        .map((code) => `${file}: ${code}`),
    );
    expect(foreign).toEqual([]);
  });
});
