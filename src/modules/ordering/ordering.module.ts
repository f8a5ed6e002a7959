import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config.js';
import { ErrorCatalogModule } from '../../platform/http/error-catalog.module.js';
import { CancelOrderHandler } from './application/commands/cancel-order/cancel-order.handler.js';
import { LapseOrderHandler } from './application/commands/lapse-order/lapse-order.handler.js';
import { PlaceOrderHandler } from './application/commands/place-order/place-order.handler.js';
import { RecordSagaAnswerHandler } from './application/commands/record-saga-answer/record-saga-answer.handler.js';
import { ShipOrderHandler } from './application/commands/ship-order/ship-order.handler.js';
import { OrderingSettings } from './application/ordering-settings.js';
import { OrderSummaryReadModel, OrderSummaryRebuild } from './application/ports/order-summary-read-model.js';
import { SagaBacklog } from './application/ports/saga-backlog.js';
import { GetOrderHandler } from './application/queries/get-order/get-order.handler.js';
import { ListOrdersHandler } from './application/queries/list-orders/list-orders.handler.js';
import { CouponAnswerHandler, StockAnswerHandler } from './application/event-handlers/saga-answer.handlers.js';
import { OrderRepository } from './domain/order.repository.js';
import { ORDERING_ERROR_CODES } from './domain/ordering.error-codes.js';
import { PendingOrdersBacklog } from './infrastructure/intake/pending-orders-backlog.js';
import { OrderLineOrmEntity } from './infrastructure/persistence/order-line.orm-entity.js';
import { OrderOrmEntity } from './infrastructure/persistence/order.orm-entity.js';
import { TypeOrmOrderRepository } from './infrastructure/persistence/typeorm-order.repository.js';
import { OrderSummaryOrmEntity } from './infrastructure/read-model/order-summary.orm-entity.js';
import { OrderSummaryProjection } from './infrastructure/read-model/order-summary.projection.js';
import { TypeOrmOrderSummaryRebuild } from './infrastructure/read-model/order-summary.rebuild.js';
import { TypeOrmOrderSummaryReadModel } from './infrastructure/read-model/typeorm-order-summary.read-model.js';
import { OrderDeadlineTimer } from './infrastructure/timers/order-deadline.timer.js';
import { OrdersController } from './interface/http/orders.controller.js';

/** The timers sweep at a quarter of the shorter timeout, at most every second and at least every 50 ms. */
function sweepInterval(confirmWithinMs: number, payWithinMs: number): number {
  return Math.max(50, Math.min(1000, Math.floor(Math.min(confirmWithinMs, payWithinMs) / 4)));
}

/**
 * The ordering context: orders, their saga with inventory and promotions (through the outbox), their timers and the
 * `order_summaries` read model. Nothing is exported: other contexts learn about orders from its events.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([OrderOrmEntity, OrderLineOrmEntity, OrderSummaryOrmEntity]),
    ErrorCatalogModule.forFeature('ordering', ORDERING_ERROR_CODES),
  ],
  controllers: [OrdersController],
  providers: [
    // application
    PlaceOrderHandler,
    CancelOrderHandler,
    ShipOrderHandler,
    RecordSagaAnswerHandler,
    LapseOrderHandler,
    GetOrderHandler,
    ListOrdersHandler,
    StockAnswerHandler,
    CouponAnswerHandler,
    {
      provide: OrderingSettings,
      inject: [AppConfig],
      useFactory: ({ commerce }: AppConfig): OrderingSettings => ({
        currency: commerce.currency,
        confirmWithinMs: commerce.orderConfirmationTimeoutMs,
        payWithinMs: commerce.orderPaymentTimeoutMs,
        sweepEveryMs: sweepInterval(commerce.orderConfirmationTimeoutMs, commerce.orderPaymentTimeoutMs),
      }),
    },
    // ports → adapters
    { provide: OrderRepository, useClass: TypeOrmOrderRepository },
    OrderSummaryProjection,
    { provide: OrderSummaryReadModel, useClass: TypeOrmOrderSummaryReadModel },
    { provide: OrderSummaryRebuild, useClass: TypeOrmOrderSummaryRebuild },
    OrderDeadlineTimer,
    PendingOrdersBacklog,
    { provide: SagaBacklog, useExisting: PendingOrdersBacklog },
  ],
})
export class OrderingModule {}
