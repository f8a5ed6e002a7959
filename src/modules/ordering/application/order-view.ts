import type { OrderSnapshot } from '../domain/order.events.js';
import type { OrderReason, OrderStatus } from '../domain/order-status.js';

interface MoneyView {
  readonly amount: number;
  readonly currency: string;
}

export interface OrderLineView {
  readonly productId: string;
  readonly quantity: number;
  readonly unitPrice: MoneyView;
  readonly lineTotal: MoneyView;
}

/**
 * An order as the API shows it (SPEC §4a): JSON-safe, so the read model stores it and an idempotent replay
 * answers it byte for byte. `couponCode` and `reason` are present only when they have a value.
 */
export interface OrderView {
  readonly id: string;
  readonly userId: string;
  readonly status: OrderStatus;
  readonly lines: readonly OrderLineView[];
  readonly subtotal: MoneyView;
  readonly discount: MoneyView;
  readonly total: MoneyView;
  readonly couponCode?: string;
  readonly reason?: OrderReason;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

export function toOrderView(snapshot: OrderSnapshot): OrderView {
  return {
    id: snapshot.orderId,
    userId: snapshot.userId,
    status: snapshot.status,
    lines: snapshot.lines.map((line) => ({
      productId: line.productId,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      lineTotal: { amount: line.unitPrice.amount * line.quantity, currency: line.unitPrice.currency },
    })),
    subtotal: snapshot.subtotal,
    discount: snapshot.discount,
    total: snapshot.total,
    ...(snapshot.couponCode === null ? {} : { couponCode: snapshot.couponCode }),
    ...(snapshot.reason === null ? {} : { reason: snapshot.reason }),
    createdAt: snapshot.createdAt,
    updatedAt: snapshot.updatedAt,
    version: snapshot.version,
  };
}
