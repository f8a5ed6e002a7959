import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { StockReservations } from '../../src/modules/inventory/contracts/stock-reservations.js';
import { ApiClient, type Session } from '../support/api-client.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { describeProfile, testProfile } from '../support/test-profile.js';

interface StockBody {
  productId: string;
  onHand: number;
  reserved: number;
  available: number;
  version: number;
}

/**
 * The reservation contract against the real wiring (unit of work, row locks, outbox) on the test profile's
 * database. The concurrency cases run on both profiles; only MariaDB actually runs the transactions side by side
 * (sql.js runs one at a time), which is where the row locks are proven.
 */
describe(describeProfile('inventory: reservations and adjustments'), () => {
  let testApp: TestApp;
  let api: ApiClient;
  let admin: Session;
  let reservations: StockReservations;
  let dataSource: DataSource;

  beforeAll(async () => {
    // 200 callers at once on one hot row queue for the pool far longer than any request would (in the service the
    // saga's relay bounds how many reservations run at once): the acquire deadline is raised so that the test
    // measures the locking, not the queue. The pool itself is a production-like 20.
    testApp = await createTestApp({ DB_POOL_SIZE: '20', DB_POOL_ACQUIRE_TIMEOUT: '30s' });
    api = new ApiClient(testApp);
    admin = await api.adminSession();
    reservations = testApp.app.get(StockReservations);
    dataSource = testApp.app.get(DataSource);
  });
  afterAll(() => testApp.close());

  async function newProduct(units: number): Promise<string> {
    const sku = `INV-${uuidv7().slice(-12)}`;
    const created = await api.call<{ id: string }>('POST', '/api/v1/products', {
      token: admin.accessToken,
      body: { sku, name: `Inventory test ${sku}`, price: { amount: 100, currency: 'EUR' } },
    });
    expect(created.status).toBe(201);
    if (units > 0) await adjust(created.body.data.id, units);
    return created.body.data.id;
  }

  async function adjust(productId: string, delta: number) {
    return api.call<StockBody>('POST', `/api/v1/products/${productId}/stock-adjustments`, {
      token: admin.accessToken,
      body: { delta, reason: 'test' },
    });
  }

  async function stockOf(productId: string): Promise<StockBody> {
    return (await api.call<StockBody>('GET', `/api/v1/products/${productId}/stock`)).body.data;
  }

  async function movementTotals(productId: string): Promise<{ count: number; onHand: number; reserved: number }> {
    type Totals = { count: number | string; onHand: number | string; reserved: number | string };
    const [row] = await dataSource.query<Totals[]>(
      'SELECT COUNT(*) AS count, SUM(on_hand_delta) AS onHand, SUM(reserved_delta) AS reserved FROM inventory_movements WHERE product_id = ?',
      [productId],
    );
    return { count: Number(row?.count), onHand: Number(row?.onHand), reserved: Number(row?.reserved) };
  }

  it('200 concurrent single-unit reservations against 50 units reserve exactly 50', async () => {
    const productId = await newProduct(50);
    const started = performance.now();
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, () => reservations.reserve(uuidv7(), [{ productId, quantity: 1 }])),
    );
    const elapsedMs = performance.now() - started;
    const reserved = outcomes.filter((outcome) => outcome.status === 'reserved').length;
    expect(reserved).toBe(50);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toHaveLength(150);
    expect(await stockOf(productId)).toMatchObject({ onHand: 50, reserved: 50, available: 0 });
    // Every change is in the audit trail, and the trail adds up to the stock.
    expect(await movementTotals(productId)).toEqual({ count: 51, onHand: 50, reserved: 50 });
    console.info(
      `[inventory] ${testProfile().kind}: 200 concurrent reservations for 50 units in ${elapsedMs.toFixed(0)} ms ` +
        `(${(200_000 / elapsedMs).toFixed(0)} reservations/s)`,
    );
  });

  it('reserves every line of an order or none, and never half of a multi-product order under contention', async () => {
    const [scarce, plenty] = [await newProduct(10), await newProduct(1000)];
    // Each order wants 1 scarce + 1 plenty; only 10 can be served, and the rejected ones must leave plenty alone.
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        reservations.reserve(
          uuidv7(),
          index % 2 === 0
            ? [
                { productId: scarce, quantity: 1 },
                { productId: plenty, quantity: 1 },
              ]
            : [
                { productId: plenty, quantity: 1 },
                { productId: scarce, quantity: 1 },
              ],
        ),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'reserved')).toHaveLength(10);
    expect(await stockOf(scarce)).toMatchObject({ reserved: 10, available: 0 });
    expect(await stockOf(plenty)).toMatchObject({ reserved: 10, available: 990 });
  });

  it('is idempotent per order: concurrent duplicates reserve once, release and commit apply once', async () => {
    const productId = await newProduct(5);
    const orderId = uuidv7();
    const twice = await Promise.all(
      Array.from({ length: 5 }, () => reservations.reserve(orderId, [{ productId, quantity: 2 }])),
    );
    expect(twice.every((outcome) => outcome.status === 'reserved')).toBe(true);
    expect(await stockOf(productId)).toMatchObject({ onHand: 5, reserved: 2 });

    await Promise.all([reservations.release(orderId), reservations.release(orderId)]);
    expect(await stockOf(productId)).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
    await reservations.commit(orderId); // released: nothing left to commit
    expect(await stockOf(productId)).toMatchObject({ onHand: 5, reserved: 0 });
    // The first decision stands when the order asks again.
    expect((await reservations.reserve(orderId, [{ productId, quantity: 2 }])).status).toBe('reserved');
    expect(await stockOf(productId)).toMatchObject({ reserved: 0 });

    const shipped = uuidv7();
    await reservations.reserve(shipped, [{ productId, quantity: 3 }]);
    await Promise.all([reservations.commit(shipped), reservations.commit(shipped)]);
    expect(await stockOf(productId)).toMatchObject({ onHand: 2, reserved: 0, available: 2 });
    await reservations.release(shipped); // committed: nothing to give back
    expect(await stockOf(productId)).toMatchObject({ onHand: 2, reserved: 0 });
  });

  it('answers a rejected order the same way when asked again, even after stock arrives', async () => {
    const productId = await newProduct(1);
    const orderId = uuidv7();
    const first = await reservations.reserve(orderId, [{ productId, quantity: 2 }]);
    expect(first).toEqual({
      status: 'rejected',
      reason: 'out_of_stock',
      shortages: [{ productId, requested: 2, available: 1 }],
    });
    await adjust(productId, 10);
    expect(await reservations.reserve(orderId, [{ productId, quantity: 2 }])).toEqual(first);
  });

  it('a product that was never stocked cannot be reserved, and its stock stays without a row', async () => {
    const productId = await newProduct(0);
    const outcome = await reservations.reserve(uuidv7(), [{ productId, quantity: 1 }]);
    expect(outcome.status).toBe('rejected');
    expect(await stockOf(productId)).toEqual({ productId, onHand: 0, reserved: 0, available: 0, version: 0 });
  });

  it('concurrent adjustments never lose an update, also on the very first stocking of a product', async () => {
    const productId = await newProduct(0);
    const answers = await Promise.all(Array.from({ length: 60 }, () => adjust(productId, 1)));
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 60 }, () => 201));
    expect(await stockOf(productId)).toMatchObject({ onHand: 60, reserved: 0, available: 60, version: 60 });
    expect(await movementTotals(productId)).toEqual({ count: 60, onHand: 60, reserved: 0 });
  });

  it('removals racing reservations never take stock below what is reserved', async () => {
    const productId = await newProduct(20);
    const [removals, orders] = await Promise.all([
      Promise.all(Array.from({ length: 20 }, () => adjust(productId, -1))),
      Promise.all(Array.from({ length: 20 }, () => reservations.reserve(uuidv7(), [{ productId, quantity: 1 }]))),
    ]);
    const removed = removals.filter((answer) => answer.status === 201).length;
    const reserved = orders.filter((outcome) => outcome.status === 'reserved').length;
    expect(removals.every((answer) => answer.status === 201 || answer.body.code === 42203)).toBe(true);
    expect(removed + reserved).toBe(20);
    expect(await stockOf(productId)).toMatchObject({ onHand: 20 - removed, reserved, available: 0 });
  });
});
