import { Injectable } from '@nestjs/common';
import { Clock } from '../../../../shared/application/clock.js';
import { UnitOfWork } from '../../../../shared/application/unit-of-work.js';
import type { Coupon } from '../../domain/coupon.aggregate.js';
import { CouponRepository, RedemptionRepository } from '../../domain/coupon.repository.js';
import { Redemption } from '../../domain/redemption.aggregate.js';

/** The order a redemption is asked for, as ordering's `order_placed` describes it. */
export interface RedemptionRequest {
  readonly orderId: string;
  readonly code: string;
  readonly userId: string;
}

/**
 * Promotions' part of the order saga: reserve a redemption when an order with a coupon is placed, confirm it when
 * the order is confirmed, release it when the order ends without shipping. Each step joins the caller's unit of
 * work (the relay's transaction with its inbox row) and is idempotent by the order id.
 *
 * Never over-redeemed: every step that moves a coupon's counters holds the coupon's row lock, and the limits count
 * pending and confirmed redemptions together, so two orders for the last redemption queue on that row and the
 * second sees what the first left. To keep a rush for a coupon short, a reservation the last committed counts
 * cannot fit is refused without taking the lock (refusing never over-redeems; at worst it refuses an order that a
 * release committing in this very millisecond would have let in — as if it had come a moment earlier).
 */
@Injectable()
export class CouponRedemptions {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly coupons: CouponRepository,
    private readonly redemptions: RedemptionRepository,
    private readonly clock: Clock,
  ) {}

  reserve(request: RedemptionRequest): Promise<void> {
    return this.unitOfWork.run(async () => {
      // A re-delivered order_placed finds the first decision (and its event, recorded then).
      if ((await this.redemptions.find(request.orderId)) !== undefined) return;
      const unlocked = await this.coupons.findByCode(request.code);
      // Placement checked the code, codes never change and coupons are never deleted: this is a broken invariant,
      // left to the relay's retries and dead letters (the order meanwhile times out and releases its stock).
      if (unlocked === undefined)
        throw new Error(`order ${request.orderId} names coupon ${request.code}, unknown here`);
      const coupon = unlocked.hasRoomFor(0) ? await this.lockedCoupon(unlocked.id) : unlocked;
      const heldByCustomer = coupon === unlocked ? 0 : await this.countHeld(coupon, request.userId);
      const redemption = Redemption.reserve({ ...request, coupon, heldByCustomer, now: this.clock.now() });
      await this.coupons.save(coupon);
      await this.redemptions.save(redemption);
    });
  }

  confirm(orderId: string): Promise<void> {
    return this.settle(orderId, (redemption, coupon, now) => redemption.confirm(coupon, now));
  }

  release(orderId: string): Promise<void> {
    return this.settle(orderId, (redemption, coupon, now) => redemption.release(coupon, now));
  }

  private settle(orderId: string, apply: (redemption: Redemption, coupon: Coupon, now: Date) => void): Promise<void> {
    return this.unitOfWork.run(async () => {
      // An unlocked read says which coupon to lock; then the lock order of `reserve` (coupon, then redemption), and
      // the decision is taken on the locked copy.
      const peek = await this.redemptions.find(orderId);
      if (peek === undefined || !peek.holdsCoupon) return;
      const coupon = await this.lockedCoupon(peek.couponOf);
      const redemption = await this.redemptions.lock(orderId);
      if (redemption === undefined) return;
      apply(redemption, coupon, this.clock.now());
      await this.coupons.save(coupon);
      await this.redemptions.save(redemption);
    });
  }

  private async lockedCoupon(couponId: string): Promise<Coupon> {
    const coupon = await this.coupons.lock(couponId);
    if (coupon === undefined) throw new Error(`coupon ${couponId} disappeared while a redemption referred to it`);
    return coupon;
  }

  private countHeld(coupon: Coupon, userId: string): Promise<number> {
    return this.redemptions.countHeld(coupon.id, userId, { locking: true });
  }
}
