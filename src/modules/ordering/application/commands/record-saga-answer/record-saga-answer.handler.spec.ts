import { orderingFakes } from '../../../../../../test/support/fakes/ordering-fakes.js';
import { PlaceOrderCommand } from '../place-order/place-order.command.js';
import { PlaceOrderHandler } from '../place-order/place-order.handler.js';
import { CancelOrderCommand } from '../cancel-order/cancel-order.command.js';
import { CancelOrderHandler } from '../cancel-order/cancel-order.handler.js';
import { LapseOrderCommand } from '../lapse-order/lapse-order.command.js';
import { LapseOrderHandler } from '../lapse-order/lapse-order.handler.js';
import { RecordSagaAnswerCommand } from './record-saga-answer.command.js';
import { RecordSagaAnswerHandler } from './record-saga-answer.handler.js';

function setUp() {
  const fakes = orderingFakes();
  fakes.catalog.add({ id: 'p-mug' });
  const placeHandler = new PlaceOrderHandler(
    fakes.orders,
    fakes.catalog,
    fakes.settings,
    fakes.clock,
    fakes.ids,
    fakes.backlog,
    fakes.coupons,
  );
  const outcome = new RecordSagaAnswerHandler(fakes.orders, fakes.settings, fakes.clock);
  const cancel = new CancelOrderHandler(fakes.orders, fakes.clock);
  const lapse = new LapseOrderHandler(fakes.orders, fakes.clock);
  return {
    ...fakes,
    place: async (couponCode?: string) =>
      (
        await fakes.run(
          placeHandler,
          new PlaceOrderCommand('user-1', [{ productId: 'p-mug', quantity: 1 }], couponCode),
        )
      ).id,
    answerFor: (orderId: string, participant: 'stock' | 'coupon', answer: 'reserved' | 'refused') =>
      fakes.run(outcome, new RecordSagaAnswerCommand(orderId, participant, answer)),
    answer: (orderId: string, result: 'reserved' | 'out_of_stock') =>
      fakes.run(outcome, new RecordSagaAnswerCommand(orderId, 'stock', result === 'reserved' ? 'reserved' : 'refused')),
    cancel: (orderId: string, actor = { id: 'user-1', isAdmin: false }) =>
      fakes.run(cancel, new CancelOrderCommand(orderId, actor)),
    lapse: (orderId: string) => fakes.run(lapse, new LapseOrderCommand(orderId)),
  };
}

describe('the saga and timer handlers', () => {
  it('confirms a PENDING order when its stock is reserved and starts the payment deadline', async () => {
    const { place, answer, orders, clock, unitOfWork } = setUp();
    const id = await place();
    clock.advance(5);
    await answer(id, 'reserved');
    expect(orders.rows.get(id)).toMatchObject({ status: 'CONFIRMED', version: 2 });
    expect(orders.rows.get(id)?.deadlineAt).toEqual(new Date(clock.now().getTime() + 15 * 60_000));
    expect(unitOfWork.publishedTypes()).toEqual(['ordering.order_placed', 'ordering.order_confirmed']);
  });

  it('rejects a PENDING order with out_of_stock', async () => {
    const { place, answer, orders } = setUp();
    const id = await place();
    await answer(id, 'out_of_stock');
    expect(orders.rows.get(id)).toMatchObject({ status: 'REJECTED', reason: 'out_of_stock' });
  });

  it('changes nothing for a re-delivered answer or an order that moved on (cancelled, timed out, unknown)', async () => {
    const { place, answer, cancel, lapse, orders, clock, unitOfWork } = setUp();
    const confirmed = await place();
    await answer(confirmed, 'reserved');
    await answer(confirmed, 'reserved');
    await answer(confirmed, 'out_of_stock');
    expect(orders.rows.get(confirmed)).toMatchObject({ status: 'CONFIRMED', version: 2 });

    const cancelled = await place();
    await cancel(cancelled);
    await answer(cancelled, 'reserved');
    expect(orders.rows.get(cancelled)).toMatchObject({ status: 'CANCELLED', reason: 'cancelled_by_customer' });

    const timedOut = await place();
    clock.advance(30_000);
    expect(await lapse(timedOut)).toBe(true);
    await answer(timedOut, 'reserved');
    expect(orders.rows.get(timedOut)).toMatchObject({ status: 'REJECTED', reason: 'timeout', version: 2 });

    await answer('no-such-order', 'reserved');
    expect(unitOfWork.publishedTypes().filter((t) => t === 'ordering.order_confirmed')).toHaveLength(1);
  });

  it('lapses an order once: a second timer finds it moved on', async () => {
    const { place, lapse, orders, clock } = setUp();
    const id = await place();
    expect(await lapse(id)).toBe(false);
    clock.advance(30_000);
    expect(await lapse(id)).toBe(true);
    expect(await lapse(id)).toBe(false);
    expect(orders.rows.get(id)).toMatchObject({ status: 'REJECTED', version: 2 });
  });

  it('answers 404 for someone else’s order unless the caller is an admin', async () => {
    const { place, cancel, orders } = setUp();
    const id = await place();
    await expect(cancel(id, { id: 'intruder', isAdmin: false })).rejects.toMatchObject({ code: 40400 });
    expect(orders.rows.get(id)?.status).toBe('PENDING');
    await expect(cancel(id, { id: 'admin-1', isAdmin: true })).resolves.toMatchObject({
      status: 'CANCELLED',
      reason: 'cancelled_by_admin',
    });
  });

  it('with a coupon: confirms once both participants reserved, in either order, one version step', async () => {
    const { place, answerFor, orders, coupons, unitOfWork } = setUp();
    coupons.coupons.set('SPRING', { amount: 100 });
    for (const [first, second] of [
      ['stock', 'coupon'],
      ['coupon', 'stock'],
    ] as const) {
      const id = await place('SPRING');
      await answerFor(id, first, 'reserved');
      expect(orders.rows.get(id)).toMatchObject({ status: 'PENDING', version: 1, awaiting: [second] });
      await answerFor(id, first, 'reserved'); // re-delivered
      await answerFor(id, second, 'reserved');
      expect(orders.rows.get(id)).toMatchObject({ status: 'CONFIRMED', version: 2, awaiting: [] });
    }
    expect(unitOfWork.publishedTypes().filter((type) => type === 'ordering.order_confirmed')).toHaveLength(2);
  });

  it('with a coupon: the coupon refused after the stock was reserved rejects with coupon_exhausted', async () => {
    const { place, answerFor, orders, coupons, unitOfWork } = setUp();
    coupons.coupons.set('SPRING', { amount: 100 });
    const id = await place('SPRING');
    await answerFor(id, 'stock', 'reserved');
    await answerFor(id, 'coupon', 'refused');
    expect(orders.rows.get(id)).toMatchObject({ status: 'REJECTED', reason: 'coupon_exhausted', version: 2 });
    // The rejection event is what makes inventory release the stock it reserved (compensation).
    expect(unitOfWork.publishedTypes()).toEqual(['ordering.order_placed', 'ordering.order_rejected']);
  });

  it('with a coupon: out of stock first rejects with out_of_stock, and the coupon’s late yes changes nothing', async () => {
    const { place, answerFor, orders, coupons } = setUp();
    coupons.coupons.set('SPRING', { amount: 100 });
    const id = await place('SPRING');
    await answerFor(id, 'stock', 'refused');
    await answerFor(id, 'coupon', 'reserved');
    expect(orders.rows.get(id)).toMatchObject({ status: 'REJECTED', reason: 'out_of_stock', version: 2 });
  });
});
