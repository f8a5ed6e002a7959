import { DomainEvent } from '../../../shared/domain/domain-event.js';
import type { CouponStatus } from './coupon-status.js';

// Each payload is the published shape declared in ../contracts/promotions.integration-events.ts (a unit test holds
// the two together).

/** A coupon's definition as an admin sees it (its counters change with every order and are not events). */
export type CouponSnapshotPayload = {
  readonly couponId: string;
  readonly code: string;
  readonly discount:
    { readonly percent: number } | { readonly amount: { readonly amount: number; readonly currency: string } };
  readonly minSubtotal: { readonly amount: number; readonly currency: string } | null;
  readonly validFrom: string | null;
  readonly validUntil: string | null;
  readonly maxRedemptions: number | null;
  readonly maxRedemptionsPerUser: number;
  readonly status: CouponStatus;
  readonly version: number;
};

abstract class CouponEvent extends DomainEvent {
  protected constructor(
    occurredAt: Date,
    readonly snapshot: CouponSnapshotPayload,
  ) {
    super(snapshot.couponId, occurredAt);
  }

  payload(): CouponSnapshotPayload {
    return structuredClone(this.snapshot);
  }
}

export class CouponCreated extends CouponEvent {
  readonly type = 'promotions.coupon_created';

  constructor(occurredAt: Date, snapshot: CouponSnapshotPayload) {
    super(occurredAt, snapshot);
  }
}

/** Terms or status changed (disabling has its own event). */
export class CouponChanged extends CouponEvent {
  readonly type = 'promotions.coupon_changed';

  constructor(occurredAt: Date, snapshot: CouponSnapshotPayload) {
    super(occurredAt, snapshot);
  }
}

export class CouponDisabled extends CouponEvent {
  readonly type = 'promotions.coupon_disabled';

  constructor(occurredAt: Date, snapshot: CouponSnapshotPayload) {
    super(occurredAt, snapshot);
  }
}

/** Who holds which coupon for which order; every redemption event is keyed by the order (its aggregate id). */
export type RedemptionPayload = {
  readonly orderId: string;
  readonly couponId: string;
  readonly code: string;
  readonly userId: string;
};

abstract class RedemptionEvent extends DomainEvent {
  protected constructor(
    occurredAt: Date,
    readonly redemption: RedemptionPayload,
  ) {
    super(redemption.orderId, occurredAt);
  }

  payload(): RedemptionPayload {
    return { ...this.redemption };
  }
}

/** The order holds one of the coupon's redemptions until it is confirmed or ends (the saga may confirm it). */
export class RedemptionReserved extends RedemptionEvent {
  readonly type = 'promotions.redemption_reserved';

  constructor(occurredAt: Date, redemption: RedemptionPayload) {
    super(occurredAt, redemption);
  }
}

/** The coupon was used up, in total or for this customer: the saga rejects the order with `coupon_exhausted`. */
export class RedemptionRefused extends DomainEvent {
  readonly type = 'promotions.redemption_refused';

  constructor(
    occurredAt: Date,
    readonly redemption: RedemptionPayload,
  ) {
    super(redemption.orderId, occurredAt);
  }

  payload() {
    return { ...this.redemption, reason: 'coupon_exhausted' as const };
  }
}

/** The order was confirmed: its redemption now counts in the coupon's `redemptions`. */
export class RedemptionConfirmed extends RedemptionEvent {
  readonly type = 'promotions.redemption_confirmed';

  constructor(occurredAt: Date, redemption: RedemptionPayload) {
    super(occurredAt, redemption);
  }
}

/** The order ended without shipping (rejected, cancelled, expired): the coupon may be used again. */
export class RedemptionReleased extends RedemptionEvent {
  readonly type = 'promotions.redemption_released';

  constructor(occurredAt: Date, redemption: RedemptionPayload) {
    super(occurredAt, redemption);
  }
}
