import { Money } from '../../../../shared/domain/money.js';
import { ORDER_STATUSES, type OrderReason, type OrderStatus } from '../../domain/order-status.js';
import { Order } from '../../domain/order.aggregate.js';
import { isSagaParticipant, type SagaParticipant } from '../../domain/saga-participant.js';
import { OrderLineOrmEntity } from './order-line.orm-entity.js';
import { OrderOrmEntity } from './order.orm-entity.js';

/** Between the Order aggregate and its rows (BIGINT amounts arrive as numbers or strings: Number() both). */
export const OrderMapper = {
  toRow(order: Order): OrderOrmEntity {
    const state = order.state();
    const row = new OrderOrmEntity();
    row.id = state.id;
    row.userId = state.userId;
    row.status = state.status;
    row.currency = state.subtotal.currency;
    row.subtotal = state.subtotal.amount;
    row.discount = state.discount.amount;
    row.couponCode = state.couponCode ?? null;
    row.reason = state.reason ?? null;
    row.deadlineAt = state.deadlineAt ?? null;
    row.sagaAwaiting = OrderMapper.awaitingColumn(state.awaiting);
    row.version = state.version;
    row.createdAt = state.createdAt;
    row.updatedAt = state.updatedAt;
    return row;
  },

  awaitingColumn(awaiting: readonly SagaParticipant[]): string {
    return awaiting.join(',');
  },

  toLineRows(order: Order): OrderLineOrmEntity[] {
    const state = order.state();
    return state.lines.map((line, lineNo) => {
      const row = new OrderLineOrmEntity();
      row.orderId = state.id;
      row.lineNo = lineNo;
      row.productId = line.productId;
      row.quantity = line.quantity;
      row.unitPrice = line.unitPrice.amount;
      return row;
    });
  },

  toDomain(row: OrderOrmEntity, lines: readonly OrderLineOrmEntity[]): Order {
    if (!(ORDER_STATUSES as readonly string[]).includes(row.status)) {
      throw new Error(`orders.status holds an unknown value "${row.status}"`);
    }
    const subtotal = Money.of(Number(row.subtotal), row.currency);
    const discount = Money.of(Number(row.discount), row.currency);
    return Order.restore({
      id: row.id,
      userId: row.userId,
      status: row.status as OrderStatus,
      lines: [...lines]
        .sort((a, b) => a.lineNo - b.lineNo)
        .map((line) => ({
          productId: line.productId,
          quantity: line.quantity,
          unitPrice: Money.of(Number(line.unitPrice), row.currency),
        })),
      subtotal,
      discount,
      total: subtotal.subtract(discount),
      couponCode: row.couponCode ?? undefined,
      reason: (row.reason ?? undefined) as OrderReason | undefined,
      deadlineAt: row.deadlineAt ?? undefined,
      awaiting: parseAwaiting(row.sagaAwaiting),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      version: row.version,
    });
  },
};

function parseAwaiting(column: string | null): SagaParticipant[] {
  const names = (column ?? '').split(',').filter((name) => name !== '');
  const unknown = names.find((name) => !isSagaParticipant(name));
  if (unknown !== undefined) throw new Error(`orders.saga_awaiting holds an unknown participant "${unknown}"`);
  return names as SagaParticipant[];
}
