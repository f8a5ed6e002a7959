import { Command } from '@nestjs/cqrs';
import type { CouponView } from '../../coupon-view.js';
import type { DiscountInput, MoneyInput } from '../coupon-input.js';

/** POST /coupons, as sent: every value is checked by the handler (optional ones are undefined when absent). */
export class CreateCouponCommand extends Command<CouponView> {
  constructor(
    readonly code: string,
    readonly terms: {
      readonly discount: DiscountInput;
      readonly minSubtotal?: MoneyInput;
      /** ISO-8601 date-times. */
      readonly validFrom?: string;
      readonly validUntil?: string;
      readonly maxRedemptions?: number;
      /** Default 1 (DEFAULT_MAX_REDEMPTIONS_PER_USER). */
      readonly maxRedemptionsPerUser?: number;
    },
  ) {
    super();
  }
}
