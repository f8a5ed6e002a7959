import type { Coupon } from './coupon.aggregate.js';
import type { Redemption } from './redemption.aggregate.js';

/** Coupons, in the caller's unit of work. Codes are stored upper-case: look-ups pass a normalised code. */
export abstract class CouponRepository {
  abstract findById(couponId: string): Promise<Coupon | undefined>;
  abstract findByCode(code: string): Promise<Coupon | undefined>;
  /** Reads the coupon and holds its row lock until the transaction ends (every redemption step takes it). */
  abstract lock(couponId: string): Promise<Coupon | undefined>;
  /** Throws CouponCodeTakenError when another coupon has the code. */
  abstract save(coupon: Coupon): Promise<void>;
}

/**
 * Redemptions, keyed by order id, in the caller's unit of work. Lock order, everywhere: the coupon's row first,
 * then its redemptions — so redemption steps of one coupon queue on the coupon and cannot deadlock each other.
 */
export abstract class RedemptionRepository {
  abstract find(orderId: string): Promise<Redemption | undefined>;
  /** Reads the redemption and holds its row lock; a locking read, so it sees the latest committed state. */
  abstract lock(orderId: string): Promise<Redemption | undefined>;
  /**
   * How many orders the customer holds the coupon on (reserved or redeemed). With `locking`, a locking read: it
   * sees every committed redemption even inside a transaction that read earlier.
   */
  abstract countHeld(couponId: string, userId: string, options: { readonly locking: boolean }): Promise<number>;
  /** A concurrent first save of the same order's redemption → RetryableConflictError (run again, find it). */
  abstract save(redemption: Redemption): Promise<void>;
}
