import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import type { TransactionalCommandHandler } from '../../../../../shared/application/transactional-command-handler.js';
import { CouponRepository } from '../../../domain/coupon.repository.js';
import { CouponNotFoundError } from '../../../domain/promotions.errors.js';
import { toCouponView, type CouponView } from '../../coupon-view.js';
import { DisableCouponCommand } from './disable-coupon.command.js';

/**
 * Disabling twice is not an error: DELETE is idempotent, the second answers the disabled coupon unchanged. Orders
 * that already hold the coupon keep it. Loaded under the row lock for the reason UpdateCouponHandler gives: a
 * redemption step committing in between must not turn the admin's DELETE into a 409.
 */
@CommandHandler(DisableCouponCommand)
export class DisableCouponHandler implements TransactionalCommandHandler<DisableCouponCommand, CouponView> {
  constructor(
    private readonly coupons: CouponRepository,
    private readonly clock: Clock,
  ) {}

  async execute(command: DisableCouponCommand): Promise<CouponView> {
    const coupon = await this.coupons.lock(command.couponId);
    if (coupon === undefined) throw new CouponNotFoundError();
    coupon.assertVersionMatches(command.expectedVersions);
    coupon.disable(this.clock.now());
    await this.coupons.save(coupon);
    return toCouponView(coupon);
  }
}
