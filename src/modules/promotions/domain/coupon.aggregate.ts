import { AggregateRoot } from '../../../shared/domain/aggregate-root.js';
import { PreconditionFailedError } from '../../../shared/domain/domain-error.js';
import type { Money } from '../../../shared/domain/money.js';
import type { CouponCode } from './coupon-code.value-object.js';
import type { CouponStatus } from './coupon-status.js';
import { discountOn, discountToJSON, sameDiscount } from './coupon-discount.js';
import { checkWindow, type CouponTerms } from './coupon-terms.js';
import { CouponChanged, CouponCreated, CouponDisabled, type CouponSnapshotPayload } from './promotions.events.js';
import { CouponNotApplicableError } from './promotions.errors.js';

export interface CouponState extends CouponTerms {
  readonly id: string;
  readonly code: string;
  readonly status: CouponStatus;
  /** Orders that hold a redemption now: confirmed, paid or shipped. */
  readonly redemptions: number;
  /** Orders the saga has reserved a redemption for and not decided yet (PENDING). */
  readonly pendingRedemptions: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

/**
 * What PATCH /coupons/:id changes: `undefined` leaves a field as it is, `null` clears an optional one. The code is
 * not here: orders refer to their coupon by code, so a code is never changed (a new code is a new coupon).
 */
export interface CouponRevision {
  readonly discount?: CouponTerms['discount'];
  readonly minSubtotal?: Money | null;
  readonly validFrom?: Date | null;
  readonly validUntil?: Date | null;
  readonly maxRedemptions?: number | null;
  readonly maxRedemptionsPerUser?: number;
  readonly status?: CouponStatus;
}

/**
 * A coupon and its redemption counters. Every order that uses it goes through three decisions, each taken here
 * under the coupon's row lock so that concurrent orders see each other's counts:
 * - `quote` at placement (42205 at once for a code that cannot apply);
 * - `reserveRedemption` when the saga reaches promotions (false = exhausted: the order is rejected);
 * - `confirmRedemption` / `releaseRedemption` when the order is confirmed, or ends without shipping.
 * The limits count pending and confirmed redemptions together, so a rush can never confirm more than
 * `maxRedemptions` orders — the reservation is taken before the order is confirmed, not after.
 */
export class Coupon extends AggregateRoot {
  private constructor(
    id: string,
    private readonly code: string,
    private terms: CouponTerms,
    private status: CouponStatus,
    private redemptions: number,
    private pendingRedemptions: number,
    private readonly createdAt: Date,
    private updatedAt: Date,
    storedVersion?: number,
  ) {
    super(id, storedVersion);
  }

  static create(params: { id: string; code: CouponCode; terms: CouponTerms; now: Date }): Coupon {
    checkWindow(params.terms);
    const coupon = new Coupon(params.id, params.code.value, params.terms, 'active', 0, 0, params.now, params.now);
    coupon.record(new CouponCreated(params.now, coupon.eventSnapshot()));
    return coupon;
  }

  static restore(state: CouponState): Coupon {
    const { id, code, status, redemptions, pendingRedemptions, createdAt, updatedAt, version, ...terms } = state;
    return new Coupon(id, code, terms, status, redemptions, pendingRedemptions, createdAt, updatedAt, version);
  }

  get codeValue(): string {
    return this.code;
  }

  /** `If-Match` (SPEC §4a), as for products: undefined = no precondition; [] = tags that can never match. */
  assertVersionMatches(expected: readonly number[] | undefined): void {
    if (expected !== undefined && !expected.includes(this.version)) throw new PreconditionFailedError(this.version);
  }

  /** Applies every given field at once: one version step and one event, however many fields changed. */
  revise(revision: CouponRevision, now: Date): void {
    const terms: CouponTerms = {
      discount: revision.discount ?? this.terms.discount,
      minSubtotal: revision.minSubtotal === undefined ? this.terms.minSubtotal : (revision.minSubtotal ?? undefined),
      validFrom: revision.validFrom === undefined ? this.terms.validFrom : (revision.validFrom ?? undefined),
      validUntil: revision.validUntil === undefined ? this.terms.validUntil : (revision.validUntil ?? undefined),
      maxRedemptions:
        revision.maxRedemptions === undefined ? this.terms.maxRedemptions : (revision.maxRedemptions ?? undefined),
      maxRedemptionsPerUser: revision.maxRedemptionsPerUser ?? this.terms.maxRedemptionsPerUser,
    };
    checkWindow(terms);
    const status = revision.status ?? this.status;
    if (status === this.status && sameTerms(terms, this.terms)) return;
    const disabling = status === 'disabled' && this.status !== 'disabled';
    this.terms = terms;
    this.status = status;
    this.changed(now);
    const snapshot = this.eventSnapshot();
    this.record(disabling ? new CouponDisabled(now, snapshot) : new CouponChanged(now, snapshot));
  }

  /** DELETE /coupons/:id: a disabled coupon is refused for new orders; orders that hold it keep it. */
  disable(now: Date): void {
    this.revise({ status: 'disabled' }, now);
  }

  /**
   * The discount this coupon gives an order of `subtotal` placed `now` by a customer who holds it on
   * `heldByCustomer` orders already — or 42205 saying why not. Checked at placement, outside any lock: the
   * limits are checked again, under the lock, by `reserveRedemption`.
   */
  quote(subtotal: Money, now: Date, heldByCustomer: number): Money {
    const refuse = (refusal: ConstructorParameters<typeof CouponNotApplicableError>[1]) =>
      new CouponNotApplicableError(this.code, refusal);
    if (this.status !== 'active') throw refuse('disabled');
    if (this.terms.validFrom !== undefined && now < this.terms.validFrom) throw refuse('not_yet_valid');
    if (this.terms.validUntil !== undefined && now > this.terms.validUntil) throw refuse('expired');
    if (this.terms.minSubtotal !== undefined && this.terms.minSubtotal.greaterThan(subtotal)) {
      throw refuse('below_minimum');
    }
    if (!this.hasRoomFor(heldByCustomer)) throw refuse('exhausted');
    return discountOn(this.terms.discount, subtotal);
  }

  /**
   * Takes a redemption for an order the saga is deciding, if the limits allow one more: false when the coupon is
   * used up, in total or for this customer (who holds it on `heldByCustomer` other orders). The caller holds the
   * coupon's row lock, so the counts are exact.
   */
  reserveRedemption(heldByCustomer: number, now: Date): boolean {
    if (!this.hasRoomFor(heldByCustomer)) return false;
    this.pendingRedemptions += 1;
    this.changed(now);
    return true;
  }

  /** The order holding a pending redemption was confirmed: it now counts in `redemptions`. */
  confirmRedemption(now: Date): void {
    if (this.pendingRedemptions < 1) throw new Error(`coupon ${this.id} has no pending redemption to confirm`);
    this.pendingRedemptions -= 1;
    this.redemptions += 1;
    this.changed(now);
  }

  /** An order gave its redemption back (rejected, cancelled, expired): pending or confirmed, as it was. */
  releaseRedemption(confirmed: boolean, now: Date): void {
    if (confirmed ? this.redemptions < 1 : this.pendingRedemptions < 1) {
      throw new Error(`coupon ${this.id} has no ${confirmed ? 'confirmed' : 'pending'} redemption to release`);
    }
    if (confirmed) this.redemptions -= 1;
    else this.pendingRedemptions -= 1;
    this.changed(now);
  }

  snapshot(): CouponState {
    return {
      id: this.id,
      code: this.code,
      ...this.terms,
      status: this.status,
      redemptions: this.redemptions,
      pendingRedemptions: this.pendingRedemptions,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
      version: this.version,
    };
  }

  /** Whether one more redemption fits, for a customer who holds the coupon on `heldByCustomer` orders. */
  hasRoomFor(heldByCustomer: number): boolean {
    const held = this.redemptions + this.pendingRedemptions;
    if (this.terms.maxRedemptions !== undefined && held >= this.terms.maxRedemptions) return false;
    return heldByCustomer < this.terms.maxRedemptionsPerUser;
  }

  private changed(now: Date): void {
    this.updatedAt = now;
    this.touch();
  }

  private eventSnapshot(): CouponSnapshotPayload {
    return {
      couponId: this.id,
      code: this.code,
      discount: discountToJSON(this.terms.discount),
      minSubtotal: this.terms.minSubtotal?.toJSON() ?? null,
      validFrom: this.terms.validFrom?.toISOString() ?? null,
      validUntil: this.terms.validUntil?.toISOString() ?? null,
      maxRedemptions: this.terms.maxRedemptions ?? null,
      maxRedemptionsPerUser: this.terms.maxRedemptionsPerUser,
      status: this.status,
      version: this.version,
    };
  }
}

function sameTerms(a: CouponTerms, b: CouponTerms): boolean {
  const sameMoney = (x: Money | undefined, y: Money | undefined) => (x === undefined ? y === undefined : x.equals(y));
  const sameDate = (x: Date | undefined, y: Date | undefined) => x?.getTime() === y?.getTime();
  return (
    sameDiscount(a.discount, b.discount) &&
    sameMoney(a.minSubtotal, b.minSubtotal) &&
    sameDate(a.validFrom, b.validFrom) &&
    sameDate(a.validUntil, b.validUntil) &&
    a.maxRedemptions === b.maxRedemptions &&
    a.maxRedemptionsPerUser === b.maxRedemptionsPerUser
  );
}
