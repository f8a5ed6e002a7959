import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import { IdGenerator } from '../../../../../shared/application/id-generator.js';
import type { TransactionalCommandHandler } from '../../../../../shared/application/transactional-command-handler.js';
import { collectViolations } from '../../../../../shared/domain/domain-error.js';
import { Coupon } from '../../../domain/coupon.aggregate.js';
import { CouponCode } from '../../../domain/coupon-code.value-object.js';
import { checkLimit, DEFAULT_MAX_REDEMPTIONS_PER_USER } from '../../../domain/coupon-terms.js';
import { CouponRepository } from '../../../domain/coupon.repository.js';
import { toCouponView, type CouponView } from '../../coupon-view.js';
import { PromotionsSettings } from '../../promotions-settings.js';
import { checkDiscount, checkMinSubtotalInput, parseInstant } from '../coupon-input.js';
import { CreateCouponCommand } from './create-coupon.command.js';

/**
 * Admin creates a coupon. Every invalid field is reported at once; a window that ends before it starts is 400 on
 * `validUntil`. A taken code (in any case: codes are stored upper-case) is 409 40900 — decided by the unique index,
 * so concurrent creations of one code agree on a single winner.
 */
@CommandHandler(CreateCouponCommand)
export class CreateCouponHandler implements TransactionalCommandHandler<CreateCouponCommand, CouponView> {
  constructor(
    private readonly coupons: CouponRepository,
    private readonly settings: PromotionsSettings,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(command: CreateCouponCommand): Promise<CouponView> {
    const { terms } = command;
    const currency = this.settings.currency;
    const [code, discount, minSubtotal, validFrom, validUntil, maxRedemptions, maxRedemptionsPerUser] =
      collectViolations(
        () => CouponCode.create(command.code),
        () => checkDiscount(terms.discount, currency),
        () =>
          terms.minSubtotal === undefined
            ? undefined
            : checkMinSubtotalInput(terms.minSubtotal, currency, 'minSubtotal'),
        () => (terms.validFrom === undefined ? undefined : parseInstant(terms.validFrom, 'validFrom')),
        () => (terms.validUntil === undefined ? undefined : parseInstant(terms.validUntil, 'validUntil')),
        () => (terms.maxRedemptions === undefined ? undefined : checkLimit(terms.maxRedemptions, 'maxRedemptions')),
        () => checkLimit(terms.maxRedemptionsPerUser ?? DEFAULT_MAX_REDEMPTIONS_PER_USER, 'maxRedemptionsPerUser'),
      );
    const coupon = Coupon.create({
      id: this.ids.next(),
      code,
      terms: { discount, minSubtotal, validFrom, validUntil, maxRedemptions, maxRedemptionsPerUser },
      now: this.clock.now(),
    });
    await this.coupons.save(coupon);
    return toCouponView(coupon);
  }
}
