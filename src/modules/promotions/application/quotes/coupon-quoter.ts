import { Injectable } from '@nestjs/common';
import { Clock } from '../../../../shared/application/clock.js';
import { Money } from '../../../../shared/domain/money.js';
import { CouponQuotes, type CouponQuote, type CouponQuoteRequest } from '../../contracts/coupon-quotes.js';
import { CouponCode } from '../../domain/coupon-code.value-object.js';
import { CouponRepository, RedemptionRepository } from '../../domain/coupon.repository.js';
import { CouponNotApplicableError } from '../../domain/promotions.errors.js';

/**
 * The facade ordering asks while placing an order (`CouponQuotes`): two indexed reads outside any transaction —
 * the coupon by code, and how many orders the customer holds it on — then the coupon's own rules (Coupon.quote).
 * It reserves nothing; the saga does, under the coupon's lock.
 */
@Injectable()
export class CouponQuoter extends CouponQuotes {
  constructor(
    private readonly coupons: CouponRepository,
    private readonly redemptions: RedemptionRepository,
    private readonly clock: Clock,
  ) {
    super();
  }

  async quote(request: CouponQuoteRequest): Promise<CouponQuote> {
    const code = CouponCode.parse(request.code);
    const coupon = code === undefined ? undefined : await this.coupons.findByCode(code.value);
    if (code === undefined || coupon === undefined) {
      throw new CouponNotApplicableError(request.code.trim().toUpperCase(), 'unknown');
    }
    const subtotal = Money.of(request.subtotal.amount, request.subtotal.currency);
    const heldByCustomer = await this.redemptions.countHeld(coupon.id, request.userId, { locking: false });
    const discount = coupon.quote(subtotal, this.clock.now(), heldByCustomer);
    return { code: coupon.codeValue, discount: discount.toJSON() };
  }
}
