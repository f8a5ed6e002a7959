import fc from 'fast-check';
import { ValidationFailedError } from '../../../shared/domain/domain-error.js';
import { Money } from '../../../shared/domain/money.js';
import { CouponCode } from './coupon-code.value-object.js';
import { amountOff, discountOn, percentOff } from './coupon-discount.js';
import type { CouponTerms } from './coupon-terms.js';
import { Coupon } from './coupon.aggregate.js';
import { CouponNotApplicableError } from './promotions.errors.js';

const at = new Date('2026-12-01T10:00:00.000Z');
const later = (ms: number) => new Date(at.getTime() + ms);
const eur = (amount: number) => Money.of(amount, 'EUR');

function coupon(terms: Partial<CouponTerms> = {}): Coupon {
  const created = Coupon.create({
    id: 'c-1',
    code: CouponCode.create('welcome-10'),
    terms: {
      discount: percentOff(10),
      minSubtotal: undefined,
      validFrom: undefined,
      validUntil: undefined,
      maxRedemptions: undefined,
      maxRedemptionsPerUser: 1,
      ...terms,
    },
    now: at,
  });
  created.markSaved();
  return created;
}

function refusalOf(action: () => unknown): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    if (error instanceof CouponNotApplicableError) return error.refusal;
    throw error;
  }
}

describe('CouponCode', () => {
  it('accepts 3–32 of A–Z 0–9 - in any case, trimmed, and keeps it upper-case', () => {
    expect(CouponCode.create('  summer-10 ').value).toBe('SUMMER-10');
    expect(CouponCode.create('abc').value).toBe('ABC');
    expect(CouponCode.create('A'.repeat(32)).value).toBe('A'.repeat(32));
  });

  it.each(['ab', 'A'.repeat(33), 'SAVE 10', 'SAVE_10', '10%', '', 'ÉTÉ'])('refuses %j on the field', (raw) => {
    expect(() => CouponCode.create(raw)).toThrow(ValidationFailedError);
    expect(CouponCode.parse(raw)).toBeUndefined();
  });
});

describe('discount rules', () => {
  it('rounds a percentage half-up once, to the minor unit', () => {
    expect(discountOn(percentOff(10), eur(1234)).amount).toBe(123); // 123.4
    expect(discountOn(percentOff(10), eur(1235)).amount).toBe(124); // 123.5 → up
    expect(discountOn(percentOff(15), eur(999)).amount).toBe(150); // 149.85
    expect(discountOn(percentOff(33), eur(50)).amount).toBe(17); // 16.5 → up
    expect(discountOn(percentOff(100), eur(4321)).amount).toBe(4321);
    expect(discountOn(percentOff(1), eur(49)).amount).toBe(0); // 0.49
  });

  it('takes a fixed amount whole, but never more than the subtotal', () => {
    expect(discountOn(amountOff(500, 'EUR', 'EUR'), eur(2000)).amount).toBe(500);
    expect(discountOn(amountOff(500, 'EUR', 'EUR'), eur(300)).amount).toBe(300);
  });

  it('property: 0 ≤ discount ≤ subtotal, and a percentage is exactly round-half-up(subtotal × p / 100)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 1, max: 100 }), (s, p) => {
        const discount = discountOn(percentOff(p), eur(s)).amount;
        expect(discount).toBeGreaterThanOrEqual(0);
        expect(discount).toBeLessThanOrEqual(s);
        const exact = (BigInt(s) * BigInt(p) * 2n + 100n) / 200n; // ⌊x + ½⌋ for x = s·p/100
        expect(BigInt(discount)).toBe(exact);
      }),
    );
  });

  it('refuses a percentage outside 1–100 and an amount that is not positive or not in the shop currency', () => {
    expect(() => percentOff(0)).toThrow(ValidationFailedError);
    expect(() => percentOff(101)).toThrow(ValidationFailedError);
    expect(() => percentOff(12.5)).toThrow(ValidationFailedError);
    expect(() => amountOff(0, 'EUR', 'EUR')).toThrow(ValidationFailedError);
    expect(() => amountOff(100, 'USD', 'EUR')).toThrow(/discount.amount.currency: must be EUR/);
  });
});

describe('Coupon', () => {
  it('is created active with empty counters and one event carrying its definition', () => {
    const created = Coupon.create({
      id: 'c-1',
      code: CouponCode.create('welcome-10'),
      terms: {
        discount: amountOff(500, 'EUR', 'EUR'),
        minSubtotal: eur(2000),
        validFrom: at,
        validUntil: later(1000),
        maxRedemptions: 10,
        maxRedemptionsPerUser: 2,
      },
      now: at,
    });
    expect(created.snapshot()).toMatchObject({ code: 'WELCOME-10', status: 'active', redemptions: 0, version: 1 });
    expect(created.pendingEvents.map((event) => [event.type, event.payload()])).toEqual([
      [
        'promotions.coupon_created',
        {
          couponId: 'c-1',
          code: 'WELCOME-10',
          discount: { amount: { amount: 500, currency: 'EUR' } },
          minSubtotal: { amount: 2000, currency: 'EUR' },
          validFrom: at.toISOString(),
          validUntil: later(1000).toISOString(),
          maxRedemptions: 10,
          maxRedemptionsPerUser: 2,
          status: 'active',
          version: 1,
        },
      ],
    ]);
  });

  it('refuses a window that ends before it starts, on create and on a PATCH of one end', () => {
    expect(() => coupon({ validFrom: later(10), validUntil: later(5) })).toThrow(/validUntil/);
    const c = coupon({ validFrom: later(10) });
    expect(() => c.revise({ validUntil: later(5) }, at)).toThrow(/validUntil/);
    expect(c.version).toBe(1);
  });

  it('quotes the discount, or says why not: disabled, not yet valid, expired, below minimum, used up', () => {
    expect(coupon().quote(eur(1235), at, 0).amount).toBe(124);
    const disabled = coupon();
    disabled.disable(at);
    expect(refusalOf(() => disabled.quote(eur(100), at, 0))).toBe('disabled');
    expect(refusalOf(() => coupon({ validFrom: later(1) }).quote(eur(100), at, 0))).toBe('not_yet_valid');
    expect(refusalOf(() => coupon({ validFrom: at }).quote(eur(100), at, 0))).toBeUndefined(); // inclusive
    expect(refusalOf(() => coupon({ validUntil: later(-1) }).quote(eur(100), at, 0))).toBe('expired');
    expect(refusalOf(() => coupon({ validUntil: at }).quote(eur(100), at, 0))).toBeUndefined(); // inclusive
    expect(refusalOf(() => coupon({ minSubtotal: eur(101) }).quote(eur(100), at, 0))).toBe('below_minimum');
    expect(refusalOf(() => coupon({ minSubtotal: eur(100) }).quote(eur(100), at, 0))).toBeUndefined();
    expect(refusalOf(() => coupon().quote(eur(100), at, 1))).toBe('exhausted'); // per user, default 1
    const full = coupon({ maxRedemptions: 1 });
    full.reserveRedemption(0, at);
    expect(refusalOf(() => full.quote(eur(100), at, 0))).toBe('exhausted');
  });

  it('counts pending and confirmed redemptions against the limits, and gives them back', () => {
    const c = coupon({ maxRedemptions: 2, maxRedemptionsPerUser: 5 });
    expect(c.reserveRedemption(0, at)).toBe(true);
    expect(c.reserveRedemption(0, at)).toBe(true);
    expect(c.reserveRedemption(0, at)).toBe(false); // two held: one pending, one pending
    c.confirmRedemption(later(1));
    expect(c.snapshot()).toMatchObject({ redemptions: 1, pendingRedemptions: 1 });
    expect(c.reserveRedemption(0, at)).toBe(false);
    c.releaseRedemption(false, later(2));
    expect(c.reserveRedemption(0, at)).toBe(true);
    c.releaseRedemption(true, later(3));
    expect(c.snapshot()).toMatchObject({ redemptions: 0, pendingRedemptions: 1 });
  });

  it('holds a customer to maxRedemptionsPerUser', () => {
    const c = coupon({ maxRedemptionsPerUser: 2 });
    expect(c.reserveRedemption(1, at)).toBe(true);
    expect(c.reserveRedemption(2, at)).toBe(false);
  });

  it('steps its version once per save on every change, counters included (its ETag changes with its body)', () => {
    const c = coupon();
    c.reserveRedemption(0, later(1));
    c.confirmRedemption(later(1));
    expect(c.version).toBe(2);
    expect(c.pendingEvents).toEqual([]); // counters are not events: redemptions announce themselves
  });

  it('refuses to count below zero (a bug, not a client error)', () => {
    expect(() => coupon().confirmRedemption(at)).toThrow(/no pending redemption/);
    expect(() => coupon().releaseRedemption(true, at)).toThrow(/no confirmed redemption/);
  });

  it('revises every given field at once (null clears), one version step; nothing changed → nothing recorded', () => {
    const c = coupon({ minSubtotal: eur(100), maxRedemptions: 5 });
    c.revise({ minSubtotal: null, maxRedemptions: null, discount: percentOff(20) }, later(1));
    expect(c.snapshot()).toMatchObject({ minSubtotal: undefined, maxRedemptions: undefined, version: 2 });
    expect(c.pendingEvents.map((event) => event.type)).toEqual(['promotions.coupon_changed']);
    c.markSaved();
    c.revise({ discount: percentOff(20), minSubtotal: null }, later(2));
    expect(c.version).toBe(2);
    c.revise({ status: 'disabled' }, later(3));
    expect(c.pendingEvents.map((event) => event.type)).toEqual(['promotions.coupon_disabled']);
  });

  it('checks If-Match against its version', () => {
    const c = coupon();
    expect(() => c.assertVersionMatches([1])).not.toThrow();
    expect(() => c.assertVersionMatches(undefined)).not.toThrow();
    expect(() => c.assertVersionMatches([2])).toThrow(expect.objectContaining({ code: 41200 }));
  });
});
