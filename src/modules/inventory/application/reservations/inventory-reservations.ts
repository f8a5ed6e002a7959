import { Injectable } from '@nestjs/common';
import { Clock } from '../../../../shared/application/clock.js';
import { UnitOfWork } from '../../../../shared/application/unit-of-work.js';
import {
  StockReservations,
  type ReservationLine,
  type ReservationOutcome,
} from '../../contracts/stock-reservations.js';
import { checkQuantity } from '../../domain/inventory.errors.js';
import { mergeLines, Reservation } from '../../domain/reservation.aggregate.js';
import { StockRepository } from '../../domain/stock.repository.js';
import type { Stock } from '../../domain/stock.aggregate.js';

/**
 * The reservation contract, implemented with row locks taken in a fixed (product-id) order: the stock rows of
 * every product of the order first, then the order's reservation row. Two orders for the same last unit queue on
 * that row; the second sees what the first left and is rejected, so stock is never oversold. Locks in one order
 * cannot deadlock each other. A duplicate that still slips through (the same order id with other lines) hits the
 * reservation's primary key and is run again by the unit of work, which then finds the first decision.
 */
@Injectable()
export class InventoryReservations extends StockReservations {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly stocks: StockRepository,
    private readonly clock: Clock,
  ) {
    super();
  }

  reserve(orderId: string, lines: readonly ReservationLine[]): Promise<ReservationOutcome> {
    const merged = mergeLines(
      lines.map((line, index) => ({ ...line, quantity: checkQuantity(line.quantity, `lines[${index}].quantity`) })),
    );
    const productIds = merged.map((line) => line.productId);
    return this.unitOfWork.run(async () => {
      const known = await this.stocks.findReservation(orderId);
      if (known !== undefined) return outcomeOf(known);
      // Fast rejection without touching the row locks: when the stock as last committed cannot cover the order,
      // record the refusal at once. Refusing never oversells; at worst it refuses an order that a delivery
      // committing in this very millisecond would have covered — as if the order had come a moment earlier.
      // Under a rush for the last units this keeps the losers off the hot row, which only the winners then queue on.
      const unlocked = await this.stocks.findMany(productIds);
      if (merged.some((line) => !(unlocked.get(line.productId)?.canReserve(line.quantity) ?? false))) {
        const refused = Reservation.place(orderId, merged, unlocked, this.clock.now());
        await this.stocks.saveReservation(refused);
        return outcomeOf(refused);
      }
      // Under the locks nothing is read again: a duplicate call for this order that got here first has inserted
      // the reservation row, so this attempt's insert hits its primary key, rolls back with everything it changed,
      // and the unit of work runs it again — to find that decision above. The lock window stays as short as it can.
      const stocks = await this.stocks.lockStocks(productIds);
      const reservation = Reservation.place(orderId, merged, stocks, this.clock.now());
      await this.saveAll(stocks);
      await this.stocks.saveReservation(reservation);
      return outcomeOf(reservation);
    });
  }

  release(orderId: string): Promise<void> {
    return this.settle(orderId, (reservation, stocks, now) => reservation.release(stocks, now));
  }

  commit(orderId: string): Promise<void> {
    return this.settle(orderId, (reservation, stocks, now) => reservation.commit(stocks, now));
  }

  private settle(
    orderId: string,
    apply: (reservation: Reservation, stocks: Map<string, Stock>, now: Date) => void,
  ): Promise<void> {
    return this.unitOfWork.run(async () => {
      // An unlocked read says which stock rows to lock; then the same lock order as `reserve` (stocks, then the
      // reservation), and the decision is taken on the locked copy.
      const peek = await this.stocks.findReservation(orderId);
      if (peek === undefined || !peek.isReserved) return;
      const stocks = await this.stocks.lockStocks(peek.reservedLines.map((line) => line.productId));
      const reservation = await this.stocks.lockReservation(orderId);
      if (reservation === undefined || !reservation.isReserved) return;
      apply(reservation, stocks, this.clock.now());
      await this.saveAll(stocks);
      await this.stocks.saveReservation(reservation);
    });
  }

  private async saveAll(stocks: ReadonlyMap<string, Stock>): Promise<void> {
    for (const stock of stocks.values()) await this.stocks.saveStock(stock);
  }
}

function outcomeOf(reservation: Reservation): ReservationOutcome {
  // Released and committed reservations were reserved once: that first decision is the answer.
  return reservation.currentStatus === 'rejected'
    ? { status: 'rejected', reason: 'out_of_stock', shortages: reservation.missing }
    : { status: 'reserved', lines: reservation.reservedLines };
}
