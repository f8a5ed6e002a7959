import { Command } from '@nestjs/cqrs';
import type { CouponView } from '../../coupon-view.js';

/** DELETE /coupons/:id disables (coupons are never erased: orders and redemptions refer to them). */
export class DisableCouponCommand extends Command<CouponView> {
  constructor(
    readonly couponId: string,
    readonly expectedVersions: readonly number[] | undefined,
  ) {
    super();
  }
}
