import { promotionsFakes } from '../../../../../../test/support/fakes/promotions-fakes.js';
import { PreconditionFailedError } from '../../../../../shared/domain/domain-error.js';
import { CouponNotFoundError } from '../../../domain/promotions.errors.js';
import { DisableCouponCommand } from './disable-coupon.command.js';
import { DisableCouponHandler } from './disable-coupon.handler.js';

function setUp() {
  const fakes = promotionsFakes();
  const handler = new DisableCouponHandler(fakes.coupons, fakes.clock);
  const coupon = fakes.seedCoupon({ version: 2, redemptions: 4, pendingRedemptions: 1 });
  const disable = (couponId: string, expectedVersions?: readonly number[]) =>
    fakes.run(handler, new DisableCouponCommand(couponId, expectedVersions));
  return { ...fakes, disable, coupon };
}

describe('DisableCouponHandler', () => {
  it('disables: one version step and CouponDisabled; the counters stay', async () => {
    const { disable, coupon, coupons, unitOfWork } = setUp();
    const view = await disable(coupon.id);
    expect(view).toMatchObject({
      id: coupon.id,
      status: 'disabled',
      version: 3,
      redemptions: 4,
      pendingRedemptions: 1,
    });
    expect(coupons.stateOf(coupon.id)).toMatchObject({ status: 'disabled', version: 3 });
    expect(unitOfWork.publishedTypes()).toEqual(['promotions.coupon_disabled']);
    expect(coupons.locks).toEqual([coupon.id]);
    expect(coupons.plainReads).toEqual([]);
  });

  it('is idempotent: disabling again answers the disabled coupon unchanged', async () => {
    const { disable, coupon, unitOfWork } = setUp();
    await disable(coupon.id);
    const again = await disable(coupon.id, [3]);
    expect(again).toMatchObject({ status: 'disabled', version: 3 });
    expect(unitOfWork.publishedTypes()).toEqual(['promotions.coupon_disabled']);
  });

  it('honours If-Match: a stale version is 412 41200 and nothing changes', async () => {
    const { disable, coupon, coupons } = setUp();
    await expect(disable(coupon.id, [1])).rejects.toThrow(PreconditionFailedError);
    expect(coupons.stateOf(coupon.id)).toMatchObject({ status: 'active', version: 2 });
    expect((await disable(coupon.id, [2])).status).toBe('disabled');
  });

  it('an unknown coupon is CouponNotFoundError', async () => {
    const { disable } = setUp();
    await expect(disable('00000000-0000-7000-8000-00000000ffff')).rejects.toThrow(CouponNotFoundError);
  });
});
