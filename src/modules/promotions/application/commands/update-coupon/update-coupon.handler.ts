import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import type { TransactionalCommandHandler } from '../../../../../shared/application/transactional-command-handler.js';
import { collectViolations } from '../../../../../shared/domain/domain-error.js';
import { checkLimit } from '../../../domain/coupon-terms.js';
import { CouponRepository } from '../../../domain/coupon.repository.js';
import { CouponNotFoundError } from '../../../domain/promotions.errors.js';
import { toCouponView, type CouponView } from '../../coupon-view.js';
import { PromotionsSettings } from '../../promotions-settings.js';
import { checkDiscount, checkMinSubtotalInput, parseInstant } from '../coupon-input.js';
import { UpdateCouponCommand } from './update-coupon.command.js';

/** undefined stays undefined (unchanged), null stays null (clear), a value is checked. */
function optional<TIn, TOut>(value: TIn | null | undefined, check: (value: TIn) => TOut): TOut | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  return check(value);
}

/**
 * Admin changes a coupon. Values are checked before anything is loaded (a bad discount is 400 whatever the id).
 * The coupon is read under its row lock, not plainly: the order saga changes the coupon (and its version) on every
 * redemption step, under the same lock. Reading plainly, a redemption committed between this read and this write
 * would fail the save's optimistic check with 409 — an admin's edit refused for a change they cannot see or
 * control. Under the lock nothing moves between read and write, and `If-Match` is compared with the version locked.
 */
@CommandHandler(UpdateCouponCommand)
export class UpdateCouponHandler implements TransactionalCommandHandler<UpdateCouponCommand, CouponView> {
  constructor(
    private readonly coupons: CouponRepository,
    private readonly settings: PromotionsSettings,
    private readonly clock: Clock,
  ) {}

  async execute(command: UpdateCouponCommand): Promise<CouponView> {
    const { changes } = command;
    const currency = this.settings.currency;
    const [discount, minSubtotal, validFrom, validUntil, maxRedemptions, maxRedemptionsPerUser] = collectViolations(
      () => (changes.discount === undefined ? undefined : checkDiscount(changes.discount, currency)),
      () => optional(changes.minSubtotal, (money) => checkMinSubtotalInput(money, currency, 'minSubtotal')),
      () => optional(changes.validFrom, (raw) => parseInstant(raw, 'validFrom')),
      () => optional(changes.validUntil, (raw) => parseInstant(raw, 'validUntil')),
      () => optional(changes.maxRedemptions, (limit) => checkLimit(limit, 'maxRedemptions')),
      () => optional(changes.maxRedemptionsPerUser, (limit) => checkLimit(limit, 'maxRedemptionsPerUser')),
    );
    const coupon = await this.coupons.lock(command.couponId);
    if (coupon === undefined) throw new CouponNotFoundError();
    coupon.assertVersionMatches(command.expectedVersions);
    coupon.revise(
      {
        discount,
        minSubtotal,
        validFrom,
        validUntil,
        maxRedemptions,
        maxRedemptionsPerUser: maxRedemptionsPerUser ?? undefined,
        status: changes.status,
      },
      this.clock.now(),
    );
    await this.coupons.save(coupon);
    return toCouponView(coupon);
  }
}
