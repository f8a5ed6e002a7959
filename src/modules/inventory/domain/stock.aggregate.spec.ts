import { ValidationFailedError } from '../../../shared/domain/domain-error.js';
import { StockChanged } from './inventory.events.js';
import { OutOfStockError } from './inventory.errors.js';
import { Stock } from './stock.aggregate.js';

const productId = '0193a0a0-0000-7000-8000-0000000000aa';
const orderId = '0193a0a0-0000-7000-8000-0000000000bb';
const now = new Date('2026-12-01T10:00:00Z');

function stocked(onHand: number, reserved = 0): Stock {
  return Stock.restore({ productId, onHand, reserved, version: 3, updatedAt: now });
}

describe('Stock', () => {
  it('reads a never-stocked product as zeros at version 0, with nothing to save', () => {
    const stock = Stock.empty(productId);
    expect(stock.view()).toEqual({ onHand: 0, reserved: 0, available: 0, version: 0 });
    expect(stock.needsSaving).toBe(false);
    expect(stock.pendingEvents).toEqual([]);
  });

  it('adjusts on-hand units, one version step, one StockChanged and one movement per change', () => {
    const stock = Stock.empty(productId);
    stock.adjust(10, 'delivery', now);
    expect(stock.view()).toEqual({ onHand: 10, reserved: 0, available: 10, version: 1 });
    expect(stock.pendingEvents).toHaveLength(1);
    expect(stock.pendingEvents[0]).toBeInstanceOf(StockChanged);
    expect(stock.pendingEvents[0]?.payload()).toEqual({ productId, onHand: 10, reserved: 0, available: 10 });
    expect(stock.takeMovements()).toEqual([
      expect.objectContaining({
        kind: 'adjustment',
        onHandDelta: 10,
        reservedDelta: 0,
        onHandAfter: 10,
        reason: 'delivery',
      }),
    ]);
    expect(stock.takeMovements()).toEqual([]);
  });

  it('never goes below what is reserved: 42203, and nothing changes', () => {
    const stock = stocked(5, 3);
    expect(() => stock.adjust(-3, 'damage', now)).toThrow(OutOfStockError);
    expect(stock.view()).toMatchObject({ onHand: 5, reserved: 3, available: 2, version: 3 });
    expect(stock.pendingEvents).toEqual([]);
    stock.adjust(-2, 'damage', now);
    expect(stock.view()).toMatchObject({ onHand: 3, reserved: 3, available: 0, version: 4 });
  });

  it('refuses a zero, fractional or huge delta as a validation error on `delta`', () => {
    for (const delta of [0, 1.5, Number.NaN, 2e9, -2e9]) {
      expect(() => stocked(5).adjust(delta, 'x', now)).toThrow(ValidationFailedError);
    }
  });

  it('reserves only what is available; release and commit move reserved and on-hand units', () => {
    const stock = stocked(5);
    expect(stock.canReserve(5)).toBe(true);
    expect(stock.canReserve(6)).toBe(false);
    expect(() => stock.reserve(6, orderId, now)).toThrow(OutOfStockError);
    stock.reserve(4, orderId, now);
    expect(stock.view()).toMatchObject({ onHand: 5, reserved: 4, available: 1 });
    stock.release(1, orderId, now);
    expect(stock.view()).toMatchObject({ onHand: 5, reserved: 3, available: 2 });
    stock.commit(3, orderId, now);
    expect(stock.view()).toMatchObject({ onHand: 2, reserved: 0, available: 2 });
    expect(
      stock.takeMovements().map((movement) => [movement.kind, movement.onHandDelta, movement.reservedDelta]),
    ).toEqual([
      ['reservation', 0, 4],
      ['release', 0, -1],
      ['commit', -3, -3],
    ]);
    // One version step per save, however many changes the transaction made.
    expect(stock.version).toBe(4);
  });
});
