import { promotionsFakes } from '../../../../../../test/support/fakes/promotions-fakes.js';
import {
  ConcurrentUpdateError,
  PreconditionFailedError,
  ValidationFailedError,
} from '../../../../../shared/domain/domain-error.js';
import { Money } from '../../../../../shared/domain/money.js';
import { Coupon } from '../../../domain/coupon.aggregate.js';
import { CouponNotFoundError } from '../../../domain/promotions.errors.js';
import { UpdateCouponCommand } from './update-coupon.command.js';
import { UpdateCouponHandler } from './update-coupon.handler.js';

type Changes = UpdateCouponCommand['changes'];

function setUp() {
  const fakes = promotionsFakes();
  const handler = new UpdateCouponHandler(fakes.coupons, fakes.settings, fakes.clock);
  const coupon = fakes.seedCoupon({
    code: 'SUMMER-10',
    minSubtotal: Money.of(2000, 'EUR'),
    validFrom: new Date('2026-06-01T00:00:00Z'),
    validUntil: new Date('2026-08-31T23:59:59Z'),
    maxRedemptions: 50,
    version: 3,
  });
  const update = (couponId: string, changes: Changes, expectedVersions?: readonly number[]) =>
    fakes.run(handler, new UpdateCouponCommand(couponId, changes, expectedVersions));
  /** What the order saga does to the coupon: a redemption step under its lock, one version step. */
  const redeem = () => {
    const stored = Coupon.restore(fakes.coupons.stateOf(coupon.id)!);
    stored.reserveRedemption(0, fakes.clock.now());
    fakes.coupons.rows.set(coupon.id, stored.snapshot());
  };
  return { ...fakes, update, coupon, redeem };
}

async function fieldsOf(attempt: Promise<unknown>): Promise<string[]> {
  const error = await attempt.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(ValidationFailedError);
  return (error as ValidationFailedError).violations.map((violation) => violation.field).sort();
}

describe('UpdateCouponHandler', () => {
  it('applies every given field in one version step and one event; other fields stay', async () => {
    const { update, coupon, coupons, unitOfWork, clock } = setUp();
    clock.advance(60_000);
    const view = await update(coupon.id, {
      discount: { amount: { amount: 700, currency: 'EUR' } },
      maxRedemptionsPerUser: 2,
      validUntil: '2026-09-30T23:59:59Z',
    });
    expect(view).toMatchObject({
      code: 'SUMMER-10',
      discount: { amount: { amount: 700, currency: 'EUR' } },
      minSubtotal: { amount: 2000, currency: 'EUR' },
      validFrom: '2026-06-01T00:00:00.000Z',
      validUntil: '2026-09-30T23:59:59.000Z',
      maxRedemptions: 50,
      maxRedemptionsPerUser: 2,
      version: 4,
      updatedAt: clock.now().toISOString(),
    });
    expect(coupons.stateOf(coupon.id)?.version).toBe(4);
    expect(unitOfWork.publishedTypes()).toEqual(['promotions.coupon_changed']);
  });

  it('null clears minSubtotal, validFrom, validUntil and maxRedemptions', async () => {
    const { update, coupon, coupons } = setUp();
    const view = await update(coupon.id, {
      minSubtotal: null,
      validFrom: null,
      validUntil: null,
      maxRedemptions: null,
    });
    expect(view).toMatchObject({ minSubtotal: null, validFrom: null, validUntil: null, maxRedemptions: null });
    expect(coupons.stateOf(coupon.id)).toMatchObject({
      minSubtotal: undefined,
      validFrom: undefined,
      validUntil: undefined,
      maxRedemptions: undefined,
      version: 4,
    });
  });

  it('a PATCH that changes nothing writes nothing, records nothing and keeps the version', async () => {
    const { update, coupon, coupons, unitOfWork } = setUp();
    const view = await update(coupon.id, { discount: { percent: 10 }, maxRedemptions: 50 }, [3]);
    expect(view.version).toBe(3);
    expect(coupons.writes).toBe(0);
    expect(unitOfWork.published).toEqual([]);
  });

  it('lists every invalid field at once before loading anything (even for an unknown id)', async () => {
    const { update, coupons } = setUp();
    const fields = await fieldsOf(
      update('00000000-0000-7000-8000-00000000ffff', {
        discount: { percent: 5, amount: { amount: 5, currency: 'EUR' } },
        minSubtotal: { amount: 10, currency: 'GBP' },
        validFrom: '2026-04-31T00:00:00Z',
        maxRedemptions: 0,
        maxRedemptionsPerUser: -1,
      }),
    );
    expect(fields).toEqual(
      ['discount', 'minSubtotal.currency', 'validFrom', 'maxRedemptions', 'maxRedemptionsPerUser'].sort(),
    );
    expect(coupons.locks).toEqual([]);
  });

  it('checks the window on the merged terms: moving one end past the stored other is 400 on validUntil', async () => {
    const { update, coupon, coupons } = setUp();
    expect(await fieldsOf(update(coupon.id, { validFrom: '2026-09-01T00:00:00Z' }))).toEqual(['validUntil']);
    expect(await fieldsOf(update(coupon.id, { validUntil: '2026-05-31T00:00:00Z' }))).toEqual(['validUntil']);
    expect(coupons.stateOf(coupon.id)?.version).toBe(3);
    // Clearing the end while moving the start is fine.
    expect((await update(coupon.id, { validFrom: '2026-09-01T00:00:00Z', validUntil: null })).validUntil).toBeNull();
  });

  it('status disabled disables (CouponDisabled), status active brings it back (CouponChanged)', async () => {
    const { update, coupon, unitOfWork } = setUp();
    expect((await update(coupon.id, { status: 'disabled' })).status).toBe('disabled');
    expect((await update(coupon.id, { status: 'active' })).status).toBe('active');
    expect(unitOfWork.publishedTypes()).toEqual(['promotions.coupon_disabled', 'promotions.coupon_changed']);
  });

  describe('If-Match', () => {
    it('the current version applies the change', async () => {
      const { update, coupon } = setUp();
      expect((await update(coupon.id, { maxRedemptions: 60 }, [3])).version).toBe(4);
    });

    it('a stale version or an empty list (weak/malformed tag) is 412 41200 and changes nothing', async () => {
      const { update, coupon, coupons, unitOfWork } = setUp();
      for (const expected of [[2], [4], []]) {
        const attempt = update(coupon.id, { maxRedemptions: 60 }, expected);
        await expect(attempt).rejects.toThrow(PreconditionFailedError);
        await expect(attempt).rejects.toMatchObject({ code: 41200 });
      }
      expect(coupons.stateOf(coupon.id)).toMatchObject({ maxRedemptions: 50, version: 3 });
      expect(unitOfWork.published).toEqual([]);
    });

    it('no precondition (undefined) applies the change', async () => {
      const { update, coupon } = setUp();
      expect((await update(coupon.id, { maxRedemptions: 60 }, undefined)).maxRedemptions).toBe(60);
    });

    it('is compared with the locked version: a redemption committed before the PATCH makes "3" stale', async () => {
      const { update, coupon, redeem } = setUp();
      redeem();
      await expect(update(coupon.id, { maxRedemptions: 60 }, [3])).rejects.toThrow(PreconditionFailedError);
      expect((await update(coupon.id, { maxRedemptions: 60 }, [4])).version).toBe(5);
    });
  });

  it('reads the coupon under its row lock, never plainly', async () => {
    const { update, coupon, coupons } = setUp();
    await update(coupon.id, { maxRedemptions: 60 });
    expect(coupons.locks).toEqual([coupon.id]);
    expect(coupons.plainReads).toEqual([]);
  });

  it('a redemption step racing the PATCH waits for it instead of failing it with 409', async () => {
    const { update, coupon, coupons, redeem } = setUp();
    coupons.beforeNextWrite(redeem);
    const view = await update(coupon.id, { maxRedemptions: 60 }, [3]);
    expect(view).toMatchObject({ maxRedemptions: 60, version: 4 });
    // The saga's step ran after the PATCH committed, on top of it.
    expect(coupons.waiting).toBeDefined();
    coupons.waiting?.();
    expect(coupons.stateOf(coupon.id)).toMatchObject({ maxRedemptions: 60, pendingRedemptions: 1, version: 5 });
  });

  it('(the fake, read plainly, would have lost that race with 409 — which is why the handler locks)', async () => {
    const { coupon, coupons, redeem, unitOfWork, clock } = setUp();
    coupons.beforeNextWrite(redeem);
    const attempt = unitOfWork.run(async () => {
      const plain = await coupons.findById(coupon.id);
      plain?.revise({ maxRedemptions: 60 }, clock.now());
      if (plain !== undefined) await coupons.save(plain);
    });
    await expect(attempt).rejects.toThrow(ConcurrentUpdateError);
  });

  it('an unknown coupon is CouponNotFoundError (404)', async () => {
    const { update } = setUp();
    await expect(update('00000000-0000-7000-8000-00000000ffff', { maxRedemptions: 1 })).rejects.toThrow(
      CouponNotFoundError,
    );
  });

  it('survives a deadlock: the retry reloads, writes once and records one event', async () => {
    const { update, coupon, coupons, unitOfWork } = setUp();
    unitOfWork.simulateConflicts(1);
    const view = await update(coupon.id, { maxRedemptions: 70 }, [3]);
    expect([unitOfWork.runs, unitOfWork.rollbacks, unitOfWork.commits]).toEqual([2, 1, 1]);
    expect(view.version).toBe(4);
    expect(coupons.stateOf(coupon.id)?.version).toBe(4);
    expect(unitOfWork.publishedTypes()).toEqual(['promotions.coupon_changed']);
  });
});
