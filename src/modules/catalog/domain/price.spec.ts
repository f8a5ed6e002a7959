import fc from 'fast-check';
import { checkPrice } from './price.js';

const violationsOf = (check: () => unknown) => {
  try {
    check();
  } catch (error) {
    return (error as { code: number; violations: { field: string }[] }).violations.map((v) => v.field);
  }
  throw new Error('expected a validation error');
};

describe('checkPrice', () => {
  it('accepts any non-negative integer amount in the shop currency, zero included', () => {
    expect(checkPrice(0, 'EUR', 'EUR').toJSON()).toEqual({ amount: 0, currency: 'EUR' });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (amount) => {
        expect(checkPrice(amount, 'EUR', 'EUR').toJSON()).toEqual({ amount, currency: 'EUR' });
      }),
    );
  });

  it('refuses another currency on price.currency (no conversion)', () => {
    expect(violationsOf(() => checkPrice(100, 'USD', 'EUR'))).toEqual(['price.currency']);
    expect(() => checkPrice(100, 'USD', 'EUR')).toThrow(expect.objectContaining({ code: 40000 }));
  });

  it('refuses a malformed currency code on price.currency', () => {
    expect(violationsOf(() => checkPrice(100, 'eur', 'EUR'))).toEqual(['price.currency']);
  });

  it('refuses negative, fractional and unsafe amounts on price.amount', () => {
    expect(violationsOf(() => checkPrice(-1, 'EUR', 'EUR'))).toEqual(['price.amount']);
    expect(violationsOf(() => checkPrice(1.5, 'EUR', 'EUR'))).toEqual(['price.amount']);
    expect(violationsOf(() => checkPrice(Number.MAX_SAFE_INTEGER + 1, 'EUR', 'EUR'))).toEqual(['price.amount']);
    expect(violationsOf(() => checkPrice(Number.NaN, 'EUR', 'EUR'))).toEqual(['price.amount']);
  });

  it('names the field it is given', () => {
    expect(violationsOf(() => checkPrice(-1, 'EUR', 'EUR', 'lines[2].price'))).toEqual(['lines[2].price.amount']);
    expect(violationsOf(() => checkPrice(1, 'GBP', 'EUR', 'lines[2].price'))).toEqual(['lines[2].price.currency']);
  });
});
