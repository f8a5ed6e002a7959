import { orderingFakes } from '../../../../../../test/support/fakes/ordering-fakes.js';
import { ValidationFailedError } from '../../../../../shared/domain/domain-error.js';
import { PlaceOrderCommand } from './place-order.command.js';
import { PlaceOrderHandler } from './place-order.handler.js';

function setUp() {
  const fakes = orderingFakes();
  const handler = new PlaceOrderHandler(
    fakes.orders,
    fakes.catalog,
    fakes.settings,
    fakes.clock,
    fakes.ids,
    fakes.backlog,
    fakes.coupons,
  );
  const place = (lines: { productId: string; quantity: number }[], couponCode?: string) =>
    fakes.run(handler, new PlaceOrderCommand('user-1', lines, couponCode));
  return { ...fakes, place };
}

describe('PlaceOrderHandler', () => {
  it('prices the lines from the catalog in one call and stores the order PENDING with its deadline', async () => {
    const { place, catalog, orders, unitOfWork, clock } = setUp();
    catalog.add({ id: 'p-mug', price: { amount: 1290, currency: 'EUR' } });
    catalog.add({ id: 'p-tea', price: { amount: 450, currency: 'EUR' } });
    const view = await place([
      { productId: 'p-mug', quantity: 2 },
      { productId: 'p-tea', quantity: 1 },
    ]);
    expect(catalog.findManyCalls).toBe(1);
    expect(view).toMatchObject({
      userId: 'user-1',
      status: 'PENDING',
      subtotal: { amount: 3030, currency: 'EUR' },
      total: { amount: 3030, currency: 'EUR' },
      lines: [
        { productId: 'p-mug', quantity: 2, unitPrice: { amount: 1290 }, lineTotal: { amount: 2580 } },
        { productId: 'p-tea', quantity: 1, unitPrice: { amount: 450 }, lineTotal: { amount: 450 } },
      ],
    });
    expect(orders.rows.get(view.id)?.deadlineAt).toEqual(new Date(clock.now().getTime() + 30_000));
    expect(unitOfWork.publishedTypes()).toEqual(['ordering.order_placed']);
  });

  it('names every unknown or archived product by path and stores nothing', async () => {
    const { place, catalog, orders, unitOfWork } = setUp();
    catalog.add({ id: 'p-ok' });
    catalog.add({ id: 'p-old', status: 'archived' });
    const failure = await place([
      { productId: 'p-ok', quantity: 1 },
      { productId: 'p-gone', quantity: 1 },
      { productId: 'p-old', quantity: 1 },
    ]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ValidationFailedError);
    expect((failure as ValidationFailedError).violations.map((v) => v.field)).toEqual([
      'lines[1].productId',
      'lines[2].productId',
    ]);
    expect(orders.rows.size).toBe(0);
    expect(unitOfWork.publishedTypes()).toEqual([]);
  });

  it('refuses new orders with 503 while the saga lags by more than half the confirmation timeout', async () => {
    const { place, catalog, orders, backlog, settings } = setUp();
    catalog.add({ id: 'p-mug' });
    backlog.lag = settings.confirmWithinMs / 2 + 1;
    await expect(place([{ productId: 'p-mug', quantity: 1 }])).rejects.toMatchObject({ code: 50300 });
    expect(orders.rows.size).toBe(0);
    backlog.lag = settings.confirmWithinMs / 2;
    await expect(place([{ productId: 'p-mug', quantity: 1 }])).resolves.toMatchObject({ status: 'PENDING' });
  });

  it('places once when the transaction is retried after a deadlock', async () => {
    const { place, catalog, orders, unitOfWork } = setUp();
    catalog.add({ id: 'p-mug' });
    unitOfWork.simulateConflicts(2);
    await place([{ productId: 'p-mug', quantity: 1 }]);
    expect(orders.rows.size).toBe(1);
    expect(unitOfWork.publishedTypes()).toEqual(['ordering.order_placed']);
  });

  it('asks promotions for the coupon’s discount on the subtotal and places the order with it', async () => {
    const { place, catalog, coupons, orders } = setUp();
    catalog.add({ id: 'p-mug', price: { amount: 1235, currency: 'EUR' } });
    coupons.coupons.set('WELCOME-10', { percent: 10 });
    const view = await place([{ productId: 'p-mug', quantity: 2 }], ' welcome-10 ');
    expect(coupons.requests).toEqual([
      { code: ' welcome-10 ', userId: 'user-1', subtotal: { amount: 2470, currency: 'EUR' } },
    ]);
    expect(view).toMatchObject({
      subtotal: { amount: 2470 },
      discount: { amount: 247 },
      total: { amount: 2223 },
      couponCode: 'WELCOME-10',
    });
    expect(orders.rows.get(view.id)?.awaiting).toEqual(['coupon', 'stock']);
  });

  it('creates nothing when the coupon cannot apply (42205), and asks promotions only about valid lines', async () => {
    const { place, catalog, coupons, orders, unitOfWork } = setUp();
    catalog.add({ id: 'p-mug' });
    await expect(place([{ productId: 'p-mug', quantity: 1 }], 'NOPE')).rejects.toMatchObject({ code: 42205 });
    await expect(place([{ productId: 'p-gone', quantity: 1 }], 'NOPE')).rejects.toMatchObject({ code: 40000 });
    expect(coupons.requests).toHaveLength(1);
    expect(orders.rows.size).toBe(0);
    expect(unitOfWork.publishedTypes()).toEqual([]);
  });
});
