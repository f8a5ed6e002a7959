import fc from 'fast-check';
import { Money } from './money.js';

const invalidOn = (field: string) =>
  expect.objectContaining({ code: 40000, violations: [expect.objectContaining({ field })] });

const currency = fc.stringMatching(/^[A-Z]{3}$/);
const safeAmount = fc.maxSafeInteger();
const money = fc.tuple(safeAmount, currency).map(([amount, code]) => Money.of(amount, code));
const isSafe = (value: bigint) => value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER);

describe('Money', () => {
  describe('of', () => {
    it('accepts every safe integer with an ISO 4217 code', () => {
      fc.assert(
        fc.property(safeAmount, currency, (amount, code) => {
          expect(Money.of(amount, code).toJSON()).toEqual({ amount, currency: code });
        }),
      );
    });

    it('refuses amounts that are not safe integers', () => {
      const unsafe = fc.oneof(
        fc.double().filter((value) => !Number.isSafeInteger(value)),
        fc.constantFrom(Number.MAX_SAFE_INTEGER + 1, Number.MIN_SAFE_INTEGER - 1, 0.1, Number.NaN, Infinity),
      );
      fc.assert(
        fc.property(unsafe, (amount) => {
          expect(() => Money.of(amount, 'EUR')).toThrow(invalidOn('amount'));
          expect(() => Money.of(amount, 'EUR', 'price.amount')).toThrow(invalidOn('price.amount'));
        }),
      );
    });

    it('refuses a currency that is not three upper-case letters, naming the currency field', () => {
      fc.assert(
        fc.property(
          fc.string().filter((code) => !/^[A-Z]{3}$/.test(code)),
          (code) => {
            expect(() => Money.of(100, code)).toThrow(invalidOn('currency'));
            expect(() => Money.of(100, code, 'price.amount')).toThrow(invalidOn('price.currency'));
          },
        ),
      );
      for (const code of ['eur', 'EURO', 'EU', 'E1R', ' EUR'])
        expect(() => Money.of(1, code)).toThrow(invalidOn('currency'));
    });
  });

  describe('arithmetic', () => {
    it('adds and subtracts exactly, or refuses a result beyond the safe range', () => {
      fc.assert(
        fc.property(safeAmount, safeAmount, currency, (a, b, code) => {
          const [x, y] = [Money.of(a, code), Money.of(b, code)];
          const sum = BigInt(a) + BigInt(b);
          const difference = BigInt(a) - BigInt(b);
          if (isSafe(sum)) expect(BigInt(x.add(y).amount)).toBe(sum);
          else expect(() => x.add(y)).toThrow(invalidOn('amount'));
          if (isSafe(difference)) expect(BigInt(x.subtract(y).amount)).toBe(difference);
          else expect(() => x.subtract(y)).toThrow(invalidOn('amount'));
        }),
      );
    });

    it('keeps the currency, and zero is neutral', () => {
      fc.assert(
        fc.property(money, (x) => {
          const zero = Money.zero(x.currency);
          expect(x.add(zero).equals(x)).toBe(true);
          expect(x.subtract(zero).equals(x)).toBe(true);
          expect(x.add(zero).currency).toBe(x.currency);
        }),
      );
    });

    it('adds commutatively', () => {
      const small = fc.integer({ min: -(2 ** 50), max: 2 ** 50 });
      fc.assert(
        fc.property(small, small, currency, (a, b, code) => {
          expect(
            Money.of(a, code)
              .add(Money.of(b, code))
              .equals(Money.of(b, code).add(Money.of(a, code))),
          ).toBe(true);
        }),
      );
    });

    it('refuses to mix currencies', () => {
      fc.assert(
        fc.property(money, money, (x, y) => {
          fc.pre(x.currency !== y.currency);
          expect(() => x.add(y)).toThrow(invalidOn('currency'));
          expect(() => x.subtract(y)).toThrow(invalidOn('currency'));
          expect(() => x.greaterThan(y)).toThrow(invalidOn('currency'));
        }),
      );
    });

    it('multiplies by integers only', () => {
      expect(Money.of(250, 'EUR').multiply(3).amount).toBe(750);
      expect(() => Money.of(250, 'EUR').multiply(1.5)).toThrow(invalidOn('quantity'));
      expect(() => Money.of(Number.MAX_SAFE_INTEGER, 'EUR').multiply(2)).toThrow(invalidOn('amount'));
    });
  });

  it('compares by amount and currency', () => {
    expect(Money.of(100, 'EUR').equals(Money.of(100, 'EUR'))).toBe(true);
    expect(Money.of(100, 'EUR').equals(Money.of(100, 'USD'))).toBe(false);
    expect(Money.of(100, 'EUR').equals(Money.of(101, 'EUR'))).toBe(false);
    expect(Money.of(101, 'EUR').greaterThan(Money.of(100, 'EUR'))).toBe(true);
    expect(Money.of(-1, 'EUR').isNegative()).toBe(true);
  });
});
