import { AggregateRoot } from '../../../shared/domain/aggregate-root.js';
import type { Coupon } from './coupon.aggregate.js';
import {
  RedemptionConfirmed,
  RedemptionRefused,
  RedemptionReleased,
  RedemptionReserved,
  type RedemptionPayload,
} from './promotions.events.js';

/**
 * reserved (the order is PENDING) → redeemed (CONFIRMED, and on through PAID and SHIPPED) | released;
 * redeemed → released (cancelled or expired after confirmation); refused is final: nothing was taken.
 */
export const REDEMPTION_STATUSES = ['reserved', 'redeemed', 'released', 'refused'] as const;
export type RedemptionStatus = (typeof REDEMPTION_STATUSES)[number];

/** The statuses that hold one of the coupon's redemptions (what the limits count). */
export const HOLDING_STATUSES: readonly RedemptionStatus[] = ['reserved', 'redeemed'];

export interface RedemptionState {
  readonly orderId: string;
  readonly couponId: string;
  readonly code: string;
  readonly userId: string;
  readonly status: RedemptionStatus;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

/**
 * One order's use of one coupon, keyed by the order id — which makes every step idempotent: reserving twice
 * finds the first decision, confirming or releasing twice changes nothing the second time. Each step moves the
 * coupon's counters in the same transaction (the caller holds the coupon's lock).
 */
export class Redemption extends AggregateRoot {
  private constructor(
    orderId: string,
    private readonly couponId: string,
    private readonly code: string,
    private readonly userId: string,
    private status: RedemptionStatus,
    private readonly createdAt: Date,
    private updatedAt: Date,
    storedVersion?: number,
  ) {
    super(orderId, storedVersion);
  }

  /**
   * The saga's request: a redemption of `coupon` for the order, if the coupon's limits allow it — the customer
   * holds it on `heldByCustomer` other orders. Either way the decision is recorded (and announced).
   */
  static reserve(params: {
    orderId: string;
    coupon: Coupon;
    userId: string;
    heldByCustomer: number;
    now: Date;
  }): Redemption {
    const { orderId, coupon, userId, heldByCustomer, now } = params;
    const taken = coupon.reserveRedemption(heldByCustomer, now);
    const redemption = new Redemption(
      orderId,
      coupon.id,
      coupon.codeValue,
      userId,
      taken ? 'reserved' : 'refused',
      now,
      now,
    );
    const payload = redemption.payload();
    redemption.record(taken ? new RedemptionReserved(now, payload) : new RedemptionRefused(now, payload));
    return redemption;
  }

  static restore(state: RedemptionState): Redemption {
    return new Redemption(
      state.orderId,
      state.couponId,
      state.code,
      state.userId,
      state.status,
      state.createdAt,
      state.updatedAt,
      state.version,
    );
  }

  get couponOf(): string {
    return this.couponId;
  }

  get currentStatus(): RedemptionStatus {
    return this.status;
  }

  get holdsCoupon(): boolean {
    return HOLDING_STATUSES.includes(this.status);
  }

  /** The order was confirmed. Only a reserved redemption moves; anything else is a no-op (a re-delivery). */
  confirm(coupon: Coupon, now: Date): void {
    if (this.status !== 'reserved') return;
    coupon.confirmRedemption(now);
    this.moveTo('redeemed', now);
    this.record(new RedemptionConfirmed(now, this.payload()));
  }

  /** The order ended without shipping: whatever it holds goes back to the coupon; otherwise a no-op. */
  release(coupon: Coupon, now: Date): void {
    if (!this.holdsCoupon) return;
    coupon.releaseRedemption(this.status === 'redeemed', now);
    this.moveTo('released', now);
    this.record(new RedemptionReleased(now, this.payload()));
  }

  snapshot(): RedemptionState {
    return {
      orderId: this.id,
      couponId: this.couponId,
      code: this.code,
      userId: this.userId,
      status: this.status,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
      version: this.version,
    };
  }

  private payload(): RedemptionPayload {
    return { orderId: this.id, couponId: this.couponId, code: this.code, userId: this.userId };
  }

  private moveTo(status: RedemptionStatus, now: Date): void {
    this.status = status;
    this.updatedAt = now;
    this.touch();
  }
}
