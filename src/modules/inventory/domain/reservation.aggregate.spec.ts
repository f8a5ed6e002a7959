import fc from 'fast-check';
import { StockReleased, StockReservationFailed, StockReserved } from './inventory.events.js';
import { mergeLines, Reservation } from './reservation.aggregate.js';
import { Stock } from './stock.aggregate.js';

const now = new Date('2026-12-01T10:00:00Z');
const orderId = '0193a0a0-0000-7000-8000-0000000000bb';
const [a, b, c] = [
  '0193a0a0-0000-7000-8000-00000000000a',
  '0193a0a0-0000-7000-8000-00000000000b',
  '0193a0a0-0000-7000-8000-00000000000c',
];

function stocks(levels: Record<string, number>): Map<string, Stock> {
  return new Map(
    Object.entries(levels).map(([productId, onHand]) => [
      productId,
      onHand === 0
        ? Stock.empty(productId)
        : Stock.restore({ productId, onHand, reserved: 0, version: 1, updatedAt: now }),
    ]),
  );
}

describe('Reservation', () => {
  it('merges lines per product, in product-id order', () => {
    expect(
      mergeLines([
        { productId: b, quantity: 1 },
        { productId: a, quantity: 2 },
        { productId: b, quantity: 3 },
      ]),
    ).toEqual([
      { productId: a, quantity: 2 },
      { productId: b, quantity: 4 },
    ]);
  });

  it('reserves every line when all are covered, and says so once', () => {
    const held = stocks({ [a]: 5, [b]: 2 });
    const reservation = Reservation.place(
      orderId,
      [
        { productId: a, quantity: 5 },
        { productId: b, quantity: 1 },
      ],
      held,
      now,
    );
    expect(reservation.isReserved).toBe(true);
    expect(held.get(a)?.available).toBe(0);
    expect(held.get(b)?.available).toBe(1);
    expect(reservation.pendingEvents).toEqual([expect.any(StockReserved)]);
  });

  it('reserves nothing when one line is short, and names every shortage', () => {
    const held = stocks({ [a]: 5, [b]: 1, [c]: 0 });
    const reservation = Reservation.place(
      orderId,
      [
        { productId: a, quantity: 5 },
        { productId: b, quantity: 2 },
        { productId: c, quantity: 1 },
      ],
      held,
      now,
    );
    expect(reservation.currentStatus).toBe('rejected');
    expect(reservation.missing).toEqual([
      { productId: b, requested: 2, available: 1 },
      { productId: c, requested: 1, available: 0 },
    ]);
    expect([...held.values()].map((stock) => stock.pendingEvents.length)).toEqual([0, 0, 0]);
    expect(held.get(a)?.available).toBe(5);
    expect(reservation.pendingEvents).toEqual([expect.any(StockReservationFailed)]);
  });

  it('releases once: the second release and a commit after it change nothing', () => {
    const held = stocks({ [a]: 3 });
    const reservation = Reservation.place(orderId, [{ productId: a, quantity: 2 }], held, now);
    reservation.release(held, now);
    reservation.release(held, now);
    reservation.commit(held, now);
    expect(held.get(a)?.view()).toMatchObject({ onHand: 3, reserved: 0 });
    expect(reservation.currentStatus).toBe('released');
    expect(reservation.pendingEvents.filter((event) => event instanceof StockReleased)).toHaveLength(1);
  });

  it('commits a held reservation: units leave on-hand and reserved', () => {
    const held = stocks({ [a]: 3 });
    const reservation = Reservation.place(orderId, [{ productId: a, quantity: 2 }], held, now);
    reservation.commit(held, now);
    expect(held.get(a)?.view()).toMatchObject({ onHand: 1, reserved: 0, available: 1 });
    expect(reservation.currentStatus).toBe('committed');
  });

  it('is all or nothing for any stock levels and order lines (property)', () => {
    const products = [a, b, c];
    fc.assert(
      fc.property(
        fc.tuple(fc.nat(5), fc.nat(5), fc.nat(5)),
        fc.array(fc.record({ product: fc.integer({ min: 0, max: 2 }), quantity: fc.integer({ min: 1, max: 4 }) }), {
          minLength: 1,
          maxLength: 5,
        }),
        (levels, lines) => {
          const held = stocks(Object.fromEntries(products.map((id, index) => [id, levels[index] ?? 0])));
          const orderLines = lines.map((line) => ({ productId: products[line.product] ?? a, quantity: line.quantity }));
          const reservation = Reservation.place(orderId, orderLines, held, now);
          const wanted = mergeLines(orderLines);
          const coverable = wanted.every((line) => line.quantity <= (levels[products.indexOf(line.productId)] ?? 0));
          expect(reservation.isReserved).toBe(coverable);
          for (const [index, id] of products.entries()) {
            const want = wanted.find((line) => line.productId === id)?.quantity ?? 0;
            const stock = held.get(id);
            expect(stock?.view().reserved).toBe(coverable ? want : 0);
            expect(stock?.available).toBeGreaterThanOrEqual(0);
            expect(stock?.view().onHand).toBe(levels[index]);
          }
        },
      ),
    );
  });
});
