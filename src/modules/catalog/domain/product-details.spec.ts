import {
  PRODUCT_DESCRIPTION_MAX,
  PRODUCT_NAME_MAX,
  checkProductDescription,
  checkProductName,
} from './product-details.js';

const invalidOn = (field: string) =>
  expect.objectContaining({ code: 40000, violations: [expect.objectContaining({ field })] });

describe('product details', () => {
  describe('name', () => {
    it('is stored exactly as sent: no trimming, no escaping', () => {
      for (const name of [
        "'; DROP TABLE catalog_products; --",
        '100% cotton_shirt',
        '  spaced  ',
        'Crème brûlée ☕ 🍰',
        '<script>alert(1)</script>',
        'x'.repeat(PRODUCT_NAME_MAX),
      ]) {
        expect(checkProductName(name)).toBe(name);
      }
    });

    it('must contain something visible and stay within the maximum', () => {
      expect(() => checkProductName('')).toThrow(invalidOn('name'));
      expect(() => checkProductName(' \t\n ')).toThrow(invalidOn('name'));
      expect(() => checkProductName('x'.repeat(PRODUCT_NAME_MAX + 1))).toThrow(invalidOn('name'));
      expect(() => checkProductName('', 'item.name')).toThrow(invalidOn('item.name'));
    });

    it('refuses lone surrogates (not text; a driver would store a replacement character instead)', () => {
      expect(() => checkProductName('bad \ud800 name')).toThrow(invalidOn('name'));
      expect(() => checkProductName('\udc00')).toThrow(invalidOn('name'));
      expect(checkProductName('paired 🫖 \ud83e\udec6')).toBe('paired 🫖 🫆');
    });
  });

  describe('description', () => {
    it('may be empty and is stored as sent', () => {
      expect(checkProductDescription('')).toBe('');
      expect(checkProductDescription(' line 1\nline 2 ')).toBe(' line 1\nline 2 ');
      expect(checkProductDescription('d'.repeat(PRODUCT_DESCRIPTION_MAX))).toHaveLength(PRODUCT_DESCRIPTION_MAX);
    });

    it('refuses more than the maximum', () => {
      expect(() => checkProductDescription('x \ud800')).toThrow(invalidOn('description'));
      expect(() => checkProductDescription('d'.repeat(PRODUCT_DESCRIPTION_MAX + 1))).toThrow(invalidOn('description'));
    });
  });
});
