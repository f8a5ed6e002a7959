import { Command } from '@nestjs/cqrs';
import type { CouponStatus } from '../../../domain/coupon-status.js';
import type { CouponView } from '../../coupon-view.js';
import type { DiscountInput, MoneyInput } from '../coupon-input.js';

/**
 * PATCH /coupons/:id: undefined fields stay as they are, `null` clears an optional one (as in CouponRevision);
 * `expectedVersions` is the parsed `If-Match`. The code is not here: it never changes.
 */
export class UpdateCouponCommand extends Command<CouponView> {
  constructor(
    readonly couponId: string,
    readonly changes: {
      readonly discount?: DiscountInput;
      readonly minSubtotal?: MoneyInput | null;
      /** ISO-8601 date-times. */
      readonly validFrom?: string | null;
      readonly validUntil?: string | null;
      readonly maxRedemptions?: number | null;
      readonly maxRedemptionsPerUser?: number;
      readonly status?: CouponStatus;
    },
    readonly expectedVersions: readonly number[] | undefined,
  ) {
    super();
  }
}
