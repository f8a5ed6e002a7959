import { DomainEvent } from '../../../shared/domain/domain-event.js';

// Each payload is the published shape declared in ../contracts/inventory.integration-events.ts (a unit test holds
// the two together).

/** Any change of a product's stock (SPEC §4a realtime: `{productId, onHand, reserved, available}`). */
export class StockChanged extends DomainEvent {
  readonly type = 'inventory.stock_changed';

  constructor(
    productId: string,
    occurredAt: Date,
    readonly onHand: number,
    readonly reserved: number,
  ) {
    super(productId, occurredAt);
  }

  payload() {
    return {
      productId: this.aggregateId,
      onHand: this.onHand,
      reserved: this.reserved,
      available: this.onHand - this.reserved,
    };
  }
}

export interface ReservedLine {
  readonly productId: string;
  readonly quantity: number;
}

export interface Shortage {
  readonly productId: string;
  readonly requested: number;
  readonly available: number;
}

/** Every line of the order is reserved (the saga may confirm it). */
export class StockReserved extends DomainEvent {
  readonly type = 'inventory.stock_reserved';

  constructor(
    orderId: string,
    occurredAt: Date,
    readonly lines: readonly ReservedLine[],
  ) {
    super(orderId, occurredAt);
  }

  payload() {
    return { orderId: this.aggregateId, lines: this.lines.map((line) => ({ ...line })) };
  }
}

/** Nothing was reserved: at least one line could not be covered. */
export class StockReservationFailed extends DomainEvent {
  readonly type = 'inventory.stock_reservation_failed';

  constructor(
    orderId: string,
    occurredAt: Date,
    readonly shortages: readonly Shortage[],
  ) {
    super(orderId, occurredAt);
  }

  payload() {
    return {
      orderId: this.aggregateId,
      reason: 'out_of_stock' as const,
      shortages: this.shortages.map((shortage) => ({ ...shortage })),
    };
  }
}

export class StockReleased extends DomainEvent {
  readonly type = 'inventory.stock_released';

  constructor(orderId: string, occurredAt: Date) {
    super(orderId, occurredAt);
  }

  payload() {
    return { orderId: this.aggregateId };
  }
}

export class StockCommitted extends DomainEvent {
  readonly type = 'inventory.stock_committed';

  constructor(orderId: string, occurredAt: Date) {
    super(orderId, occurredAt);
  }

  payload() {
    return { orderId: this.aggregateId };
  }
}
