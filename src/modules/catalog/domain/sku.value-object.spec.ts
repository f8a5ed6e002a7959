import fc from 'fast-check';
import { Sku } from './sku.value-object.js';

const invalidOn = (field: string) =>
  expect.objectContaining({ code: 40000, violations: [expect.objectContaining({ field })] });

describe('Sku', () => {
  it('keeps SKUs upper-case and trimmed, so ab-1 and AB-1 are one SKU', () => {
    expect(Sku.create('ab-1').value).toBe('AB-1');
    expect(Sku.create('  Mug.001_x ').value).toBe('MUG.001_X');
    expect(Sku.create('ab-1').equals(Sku.create('AB-1'))).toBe(true);
  });

  it('accepts 1 to 64 characters of A–Z 0–9 . _ - starting with a letter or digit', () => {
    expect(Sku.create('A').value).toBe('A');
    expect(Sku.create('9').value).toBe('9');
    expect(Sku.create('X'.repeat(64)).value).toHaveLength(64);
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/), (raw) => {
        expect(Sku.create(raw).value).toBe(raw.toUpperCase());
      }),
    );
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['too long', 'X'.repeat(65)],
    ['leading dash', '-AB'],
    ['leading dot', '.AB'],
    ['inner space', 'AB 1'],
    ['SQL', "'; DROP TABLE catalog_products; --"],
    ['wildcards', 'AB%_'],
    ['non-ASCII letter', 'ÄB-1'],
    ['emoji', 'MUG-☕'],
  ])('refuses %s on the field it is given', (_label, raw) => {
    expect(() => Sku.create(raw)).toThrow(invalidOn('sku'));
    expect(() => Sku.create(raw, 'lines[0].sku')).toThrow(invalidOn('lines[0].sku'));
  });

  it('parse: a search term that could be a SKU is normalised like one; anything else is not one', () => {
    expect(Sku.parse(' mug-001 ')?.value).toBe('MUG-001');
    expect(Sku.parse('enamel mug')).toBeUndefined();
    expect(Sku.parse('50%')).toBeUndefined();
    expect(Sku.parse('')).toBeUndefined();
  });
});
