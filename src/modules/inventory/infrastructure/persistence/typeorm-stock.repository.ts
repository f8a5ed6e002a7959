import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { isUniqueViolation, RetryableConflictError } from '../../../../platform/persistence/persistence-errors.js';
import { TransactionContext } from '../../../../platform/persistence/transaction-context.js';
import { VersionedWriter } from '../../../../platform/persistence/versioned-writer.js';
import { IdGenerator } from '../../../../shared/application/id-generator.js';
import { Reservation, RESERVATION_STATUSES, type ReservationStatus } from '../../domain/reservation.aggregate.js';
import { Stock } from '../../domain/stock.aggregate.js';
import { StockRepository } from '../../domain/stock.repository.js';
import { ReservationOrmEntity } from './reservation.orm-entity.js';
import { StockMovementOrmEntity } from './stock-movement.orm-entity.js';
import { StockOrmEntity } from './stock.orm-entity.js';

function stockToRow(stock: Stock): StockOrmEntity {
  const state = stock.snapshot();
  const row = new StockOrmEntity();
  row.id = state.productId;
  row.onHand = state.onHand;
  row.reserved = state.reserved;
  row.version = state.version;
  row.updatedAt = state.updatedAt;
  return row;
}

function stockFromRow(row: StockOrmEntity): Stock {
  return Stock.restore({
    productId: row.id,
    onHand: row.onHand,
    reserved: row.reserved,
    version: row.version,
    updatedAt: row.updatedAt,
  });
}

function reservationToRow(reservation: Reservation): ReservationOrmEntity {
  const state = reservation.snapshot();
  const row = new ReservationOrmEntity();
  row.id = state.orderId;
  row.status = state.status;
  row.lines = JSON.stringify(state.lines);
  row.shortages = JSON.stringify(state.shortages);
  row.version = state.version;
  row.createdAt = state.createdAt;
  row.updatedAt = state.updatedAt;
  return row;
}

function reservationFromRow(row: ReservationOrmEntity): Reservation {
  if (!(RESERVATION_STATUSES as readonly string[]).includes(row.status)) {
    throw new Error(`inventory_reservations.status holds an unknown value "${row.status}"`);
  }
  return Reservation.restore({
    orderId: row.id,
    status: row.status as ReservationStatus,
    lines: JSON.parse(row.lines) as Reservation['reservedLines'],
    shortages: JSON.parse(row.shortages) as Reservation['missing'],
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  });
}

/**
 * Stock rows, their movements and reservations, in the caller's transaction. `lockStocks` is one query for all
 * the products of an order: `SELECT … WHERE product_id IN (…) ORDER BY product_id FOR UPDATE` walks the primary
 * key in order, so the row locks are taken in product-id order by every writer.
 */
@Injectable()
export class TypeOrmStockRepository extends StockRepository {
  private readonly stockWriter: VersionedWriter<Stock, StockOrmEntity>;
  private readonly reservationWriter: VersionedWriter<Reservation, ReservationOrmEntity>;

  constructor(
    private readonly context: TransactionContext,
    private readonly ids: IdGenerator,
  ) {
    super();
    this.stockWriter = new VersionedWriter(context, StockOrmEntity, stockToRow);
    this.reservationWriter = new VersionedWriter(context, ReservationOrmEntity, reservationToRow);
  }

  async find(productId: string): Promise<Stock> {
    const row = await this.stockWriter.repository().findOneBy({ id: productId });
    return row === null ? Stock.empty(productId) : stockFromRow(row);
  }

  findMany(productIds: readonly string[]): Promise<Map<string, Stock>> {
    return this.load(productIds, false);
  }

  lockStocks(productIds: readonly string[]): Promise<Map<string, Stock>> {
    if (this.context.current === undefined) throw new Error('lockStocks outside a unit of work locks nothing');
    return this.load(productIds, true);
  }

  private async load(productIds: readonly string[], lock: boolean): Promise<Map<string, Stock>> {
    const ids = [...new Set(productIds)].sort();
    if (ids.length === 0) return new Map();
    const manager = this.context.manager();
    const query = manager
      .getRepository(StockOrmEntity)
      .createQueryBuilder('s')
      .where({ id: In(ids) })
      .orderBy('s.id', 'ASC');
    if (lock && manager.connection.options.type === 'mysql') query.setLock('pessimistic_write');
    const rows = new Map((await query.getMany()).map((row) => [row.id, row]));
    return new Map(ids.map((id) => [id, rows.has(id) ? stockFromRow(rows.get(id)!) : Stock.empty(id)]));
  }

  async saveStock(stock: Stock): Promise<void> {
    if (!stock.needsSaving) return;
    const movements = stock.takeMovements();
    try {
      await this.stockWriter.save(stock);
    } catch (error) {
      // Two first adjustments of a never-stocked product both inserted its row: the loser runs again and finds it.
      if (stock.isNew && isUniqueViolation(error)) throw new RetryableConflictError('stock row created concurrently');
      throw error;
    }
    if (movements.length === 0) return;
    await this.context
      .manager()
      .getRepository(StockMovementOrmEntity)
      .insert(
        movements.map((movement) => ({
          id: this.ids.next(),
          productId: movement.productId,
          kind: movement.kind,
          onHandDelta: movement.onHandDelta,
          reservedDelta: movement.reservedDelta,
          onHandAfter: movement.onHandAfter,
          reservedAfter: movement.reservedAfter,
          orderId: movement.orderId ?? null,
          reason: movement.reason ?? null,
          createdAt: movement.occurredAt,
        })),
      );
  }

  async findReservation(orderId: string): Promise<Reservation | undefined> {
    const row = await this.reservationWriter.repository().findOneBy({ id: orderId });
    return row === null ? undefined : reservationFromRow(row);
  }

  async lockReservation(orderId: string): Promise<Reservation | undefined> {
    const row = await this.reservationWriter.findForUpdate({ id: orderId });
    return row === null ? undefined : reservationFromRow(row);
  }

  async saveReservation(reservation: Reservation): Promise<void> {
    try {
      await this.reservationWriter.save(reservation);
    } catch (error) {
      if (reservation.isNew && isUniqueViolation(error))
        throw new RetryableConflictError('reservation created concurrently');
      throw error;
    }
  }
}
