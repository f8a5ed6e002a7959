import { AggregateRoot } from '../../../shared/domain/aggregate-root.js';
import { Money } from '../../../shared/domain/money.js';
import { checkLines, lineTotal, type OrderLine } from './order-line.js';
import { OrderEvent, ORDER_EVENT_TYPES, type OrderEventType, type OrderSnapshot } from './order.events.js';
import {
  canMove,
  type CancellationReason,
  type OrderReason,
  type OrderStatus,
  type RejectionReason,
} from './order-status.js';
import { InvalidOrderTransitionError } from './ordering.errors.js';
import { REFUSAL_REASONS, type SagaParticipant } from './saga-participant.js';

export interface OrderState {
  readonly id: string;
  readonly userId: string;
  readonly status: OrderStatus;
  readonly lines: readonly OrderLine[];
  readonly subtotal: Money;
  readonly discount: Money;
  readonly total: Money;
  readonly couponCode: string | undefined;
  readonly reason: OrderReason | undefined;
  /** When the timer acts on the order (PENDING → REJECTED, CONFIRMED → EXPIRED); undefined when none runs. */
  readonly deadlineAt: Date | undefined;
  /** The saga participants a PENDING order still waits for (sorted); empty once the order is decided. */
  readonly awaiting: readonly SagaParticipant[];
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly version: number;
}

export interface PlaceOrder {
  readonly id: string;
  readonly userId: string;
  readonly lines: readonly OrderLine[];
  readonly currency: string;
  readonly now: Date;
  /** ORDER_CONFIRMATION_TIMEOUT: how long the saga may take before the order is rejected with `timeout`. */
  readonly confirmWithinMs: number;
  /** The coupon, as promotions quoted it at placement (code as stored, discount ≤ subtotal). */
  readonly coupon?: { readonly code: string; readonly discount: Money };
}

/**
 * An order: what was bought at which price, and where it stands in its life (order-status.ts). Prices are
 * captured at placement and never change. Every transition goes through `moveTo`, which refuses what the state
 * machine forbids (42204), bumps the version once and records an `OrderEvent` carrying the whole order.
 *
 * Deadlines live on the order itself, so the timers are durable: a PENDING order must be decided by
 * `deadlineAt`, a CONFIRMED one paid by it; `lapse` applies whichever is due.
 *
 * The order is also the saga's record of progress: `awaiting` lists the participants (saga-participant.ts) whose
 * answer it still needs. Each reservation crosses one off and the last one confirms; the first refusal rejects.
 * Crossing one off is not a change a client can see, so it keeps the version (no event): the repository writes it
 * under the order's row lock (`hasUnsavedProgress`).
 */
export class Order extends AggregateRoot {
  private constructor(
    id: string,
    private readonly userId: string,
    private status: OrderStatus,
    private readonly lines: readonly OrderLine[],
    private readonly subtotal: Money,
    private readonly discount: Money,
    private readonly couponCode: string | undefined,
    private reason: OrderReason | undefined,
    private deadlineAt: Date | undefined,
    private awaiting: readonly SagaParticipant[],
    private readonly createdAt: Date,
    private updatedAt: Date,
    storedVersion?: number,
  ) {
    super(id, storedVersion);
  }

  private progressUnsaved = false;

  static place(input: PlaceOrder): Order {
    checkLines(input.lines, input.currency);
    const subtotal = input.lines.reduce((sum, line) => sum.add(lineTotal(line)), Money.zero(input.currency));
    const discount = input.coupon?.discount ?? Money.zero(input.currency);
    if (discount.isNegative() || discount.greaterThan(subtotal)) {
      throw new Error(`a discount of ${discount.amount} does not fit a subtotal of ${subtotal.amount}`);
    }
    const order = new Order(
      input.id,
      input.userId,
      'PENDING',
      input.lines,
      subtotal,
      discount,
      input.coupon?.code,
      undefined,
      new Date(input.now.getTime() + input.confirmWithinMs),
      input.coupon === undefined ? ['stock'] : ['coupon', 'stock'],
      input.now,
      input.now,
    );
    order.record(new OrderEvent(ORDER_EVENT_TYPES.placed, order.snapshot(), input.now));
    return order;
  }

  static restore(state: OrderState): Order {
    return new Order(
      state.id,
      state.userId,
      state.status,
      state.lines,
      state.subtotal,
      state.discount,
      state.couponCode,
      state.reason,
      state.deadlineAt,
      state.awaiting,
      state.createdAt,
      state.updatedAt,
      state.version,
    );
  }

  get ownerId(): string {
    return this.userId;
  }

  get currentStatus(): OrderStatus {
    return this.status;
  }

  /** Crossing a participant off is written without a version step; see the class comment. */
  get hasUnsavedProgress(): boolean {
    return this.progressUnsaved;
  }

  get awaitedParticipants(): readonly SagaParticipant[] {
    return this.awaiting;
  }

  /**
   * A participant reserved its part. The last one awaited confirms the order (the customer now has
   * ORDER_PAYMENT_TIMEOUT to pay). An order that is no longer PENDING, or no longer waits for this participant
   * (a re-delivered answer), is left alone: whatever a late reservation took is given back by the participant on
   * the order's own rejection or cancellation event.
   */
  recordReservation(participant: SagaParticipant, now: Date, payWithinMs: number): void {
    if (this.status !== 'PENDING' || !this.awaiting.includes(participant)) return;
    const awaiting = this.awaiting.filter((awaited) => awaited !== participant);
    if (awaiting.length > 0) {
      this.awaiting = awaiting;
      this.progressUnsaved = true;
      return;
    }
    this.confirm(now, payWithinMs);
  }

  /**
   * The state machine's move to CONFIRMED (42204 from any status but PENDING): the customer now has
   * ORDER_PAYMENT_TIMEOUT to pay. The saga gets here through `recordReservation`, once nobody is awaited.
   */
  confirm(now: Date, payWithinMs: number): void {
    this.moveTo('CONFIRMED', ORDER_EVENT_TYPES.confirmed, now, undefined, new Date(now.getTime() + payWithinMs));
  }

  /**
   * A participant could not reserve its part: the order is REJECTED (`out_of_stock`, `coupon_exhausted`), and the
   * rejection event makes every participant release what it holds for it — the saga's compensation. Only a
   * PENDING order is rejected; anything else is left alone, as for a reservation.
   */
  recordRefusal(participant: SagaParticipant, now: Date): void {
    if (this.status !== 'PENDING') return;
    this.reject(REFUSAL_REASONS[participant], now);
  }

  override markSaved(): void {
    super.markSaved();
    this.progressUnsaved = false;
  }

  reject(reason: RejectionReason, now: Date): void {
    this.moveTo('REJECTED', ORDER_EVENT_TYPES.rejected, now, reason);
  }

  cancel(reason: CancellationReason, now: Date): void {
    this.moveTo('CANCELLED', ORDER_EVENT_TYPES.cancelled, now, reason);
  }

  /** Unpaid past the payment deadline (the timer calls it through `lapse`). */
  expire(now: Date): void {
    this.moveTo('EXPIRED', ORDER_EVENT_TYPES.expired, now, 'payment_timeout');
  }

  markPaid(now: Date): void {
    this.moveTo('PAID', ORDER_EVENT_TYPES.paid, now);
  }

  ship(now: Date): void {
    this.moveTo('SHIPPED', ORDER_EVENT_TYPES.shipped, now);
  }

  /**
   * The timer's move, once the deadline has passed: a PENDING order is rejected (`timeout`), a CONFIRMED one
   * expires (`payment_timeout`). Anything else — not yet due, or already moved on by the saga, a customer or
   * another instance's timer — is left alone: answers whether it changed the order.
   */
  lapse(now: Date): boolean {
    if (this.deadlineAt === undefined || this.deadlineAt.getTime() > now.getTime()) return false;
    if (this.status === 'PENDING') {
      this.reject('timeout', now);
      return true;
    }
    if (this.status === 'CONFIRMED') {
      this.expire(now);
      return true;
    }
    return false;
  }

  snapshot(): OrderSnapshot {
    return {
      orderId: this.id,
      userId: this.userId,
      status: this.status,
      lines: this.lines.map((line) => ({
        productId: line.productId,
        quantity: line.quantity,
        unitPrice: line.unitPrice.toJSON(),
      })),
      subtotal: this.subtotal.toJSON(),
      discount: this.discount.toJSON(),
      total: this.total.toJSON(),
      couponCode: this.couponCode ?? null,
      reason: this.reason ?? null,
      createdAt: this.createdAt.toISOString(),
      updatedAt: this.updatedAt.toISOString(),
      version: this.version,
    };
  }

  state(): OrderState {
    return {
      id: this.id,
      userId: this.userId,
      status: this.status,
      lines: this.lines,
      subtotal: this.subtotal,
      discount: this.discount,
      total: this.total,
      couponCode: this.couponCode,
      reason: this.reason,
      deadlineAt: this.deadlineAt,
      awaiting: this.awaiting,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
      version: this.version,
    };
  }

  private get total(): Money {
    return this.subtotal.subtract(this.discount);
  }

  private moveTo(
    status: OrderStatus,
    type: OrderEventType,
    now: Date,
    reason: OrderReason | undefined = undefined,
    deadlineAt: Date | undefined = undefined,
  ): void {
    if (!canMove(this.status, status)) throw new InvalidOrderTransitionError(this.status, status);
    this.status = status;
    this.reason = reason;
    this.deadlineAt = deadlineAt;
    this.awaiting = [];
    this.progressUnsaved = false;
    this.updatedAt = now;
    this.touch();
    this.record(new OrderEvent(type, this.snapshot(), now));
  }
}
