import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ErrorCatalogModule } from '../../platform/http/error-catalog.module.js';
import { AdjustStockHandler } from './application/commands/adjust-stock/adjust-stock.handler.js';
import { GetStockHandler } from './application/queries/get-stock/get-stock.handler.js';
import { InventoryReservations } from './application/reservations/inventory-reservations.js';
import {
  CommitOrderStockHandler,
  ReleaseOrderStockHandler,
  ReserveOrderStockHandler,
} from './application/event-handlers/order-stock.handlers.js';
import { StockReservations } from './contracts/stock-reservations.js';
import { INVENTORY_ERROR_CODES } from './domain/inventory.error-codes.js';
import { StockRepository } from './domain/stock.repository.js';
import { ReservationOrmEntity } from './infrastructure/persistence/reservation.orm-entity.js';
import { StockMovementOrmEntity } from './infrastructure/persistence/stock-movement.orm-entity.js';
import { StockOrmEntity } from './infrastructure/persistence/stock.orm-entity.js';
import { TypeOrmStockRepository } from './infrastructure/persistence/typeorm-stock.repository.js';
import { InventoryDemoData } from './infrastructure/startup/inventory-demo-data.js';
import { StockController } from './interface/http/stock.controller.js';

/**
 * The inventory context. Global so that its facade (`StockReservations`, from `inventory/contracts`) can be
 * injected by ordering without importing this module — the only thing it exports.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forFeature([StockOrmEntity, StockMovementOrmEntity, ReservationOrmEntity]),
    ErrorCatalogModule.forFeature('inventory', INVENTORY_ERROR_CODES),
  ],
  controllers: [StockController],
  providers: [
    AdjustStockHandler,
    GetStockHandler,
    { provide: StockRepository, useClass: TypeOrmStockRepository },
    InventoryReservations,
    { provide: StockReservations, useExisting: InventoryReservations },
    // the saga: reactions to ordering's events
    ReserveOrderStockHandler,
    ReleaseOrderStockHandler,
    CommitOrderStockHandler,
    InventoryDemoData,
  ],
  exports: [StockReservations],
})
export class InventoryModule {}
