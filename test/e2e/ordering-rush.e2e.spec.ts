import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ApiClient, type Session } from '../support/api-client.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import {
  expectRushConsistent,
  pendingCount,
  placeWithRetries,
  rushPlan,
  rushSnapshot,
  seededRandom,
  undeliveredCount,
  type PlaceAnswer,
  type RushOrder,
} from '../support/order-rush.js';
import { createTestDataSource } from '../support/test-data-source.js';
import { describeProfile, testProfile } from '../support/test-profile.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Issue #15 §5, SPEC §3 inventory "Never oversells: 200 concurrent orders for a product with 50 in stock confirm
 * exactly 50 units", on one instance (the app in-process). 20 customers send 10 orders each, all 200 at once, each
 * with its own Idempotency-Key; the saga runs through the outbox relay; the test then reads the database for those
 * customers and that product only (CI runs every server e2e file on one database). Server profile only: the
 * embedded profile serialises every transaction, so there is no race to prove there.
 */
const CUSTOMERS = 20;
const PER_CUSTOMER = 10;
const ON_HAND = 50;

describe.skipIf(testProfile().kind !== 'server')(describeProfile('ordering: the 200-order rush, one instance'), () => {
  let testApp: TestApp;
  let api: ApiClient;
  let admin: Session;
  let dataSource: DataSource;

  beforeAll(async () => {
    testApp = await createTestApp();
    api = new ApiClient(testApp);
    admin = await api.adminSession();
    dataSource = await createTestDataSource({ poolSize: 2 });
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await testApp?.close();
  });

  async function newProduct(stock: number): Promise<string> {
    const sku = `RUSH-${uuidv7().slice(-12)}`;
    const created = await api.call<{ id: string }>('POST', '/api/v1/products', {
      token: admin.accessToken,
      body: { sku, name: `Rush ${sku}`, price: { amount: 990, currency: 'EUR' } },
    });
    expect(created.status).toBe(201);
    const adjusted = await api.call('POST', `/api/v1/products/${created.body.data.id}/stock-adjustments`, {
      token: admin.accessToken,
      body: { delta: stock, reason: 'delivery' },
    });
    expect(adjusted.status).toBe(201);
    return created.body.data.id;
  }

  async function rush(quantity: (index: number) => number) {
    const productId = await newProduct(ON_HAND);
    const customers = await Promise.all(Array.from({ length: CUSTOMERS }, () => api.newCustomer()));
    const userIds = customers.map((customer) => customer.userId);
    const send = async (order: RushOrder): Promise<PlaceAnswer> => {
      const response = await api.call<{ id: string; status: string; userId: string }>('POST', '/api/v1/orders', {
        token: customers[order.customer].accessToken,
        body: { lines: [{ productId, quantity: order.quantity }] },
        headers: { 'idempotency-key': order.key },
      });
      return {
        status: response.status,
        code: response.body?.code,
        data: response.status === 201 ? response.body.data : undefined,
        replayed: response.headers['idempotent-replayed'] === 'true',
      };
    };

    const startedAt = Date.now();
    const results = await Promise.all(
      rushPlan(CUSTOMERS, PER_CUSTOMER, quantity).map((o) => placeWithRetries(o, send)),
    );
    const answeredMs = Date.now() - startedAt;
    for (const result of results) {
      expect(result.answer.status, JSON.stringify(result.answer)).toBe(201);
      expect(result.answer.data).toMatchObject({ status: 'PENDING', userId: userIds[result.order.customer] });
    }
    const ids = results.map((result) => result.answer.data?.id ?? '');
    // Settled: no order PENDING, and every event of these orders delivered (inventory's answers included).
    await waitFor(
      async () => ({
        pending: await pendingCount(dataSource, userIds),
        undelivered: await undeliveredCount(dataSource, ids),
      }),
      (state) => state.pending === 0 && state.undelivered === 0,
      60_000,
    );
    const settledMs = Date.now() - startedAt;
    const snapshot = await rushSnapshot(dataSource, userIds, productId);
    const figures = expectRushConsistent(snapshot, results, {
      productId,
      onHand: ON_HAND,
      rejectReasons: ['out_of_stock'],
      stockNeverGrew: true,
    });

    // What the API says agrees with the database.
    const stock = await api.call<{ onHand: number; reserved: number; available: number }>(
      'GET',
      `/api/v1/products/${productId}/stock`,
    );
    expect(stock.body.data).toMatchObject({
      onHand: ON_HAND,
      reserved: figures.reserved,
      available: figures.available,
    });
    const sample = results[results.length - 1];
    const read = await api.call<{ status: string }>('GET', `/api/v1/orders/${sample.answer.data?.id}`, {
      token: customers[sample.order.customer].accessToken,
    });
    expect(read.body.data.status).toBe(snapshot.orders.get(sample.answer.data?.id ?? '')?.status);
    return { figures, answeredMs, settledMs };
  }

  it('all quantities 1: exactly 50 orders confirmed, 150 rejected out_of_stock, available 0', async () => {
    const { figures, answeredMs, settledMs } = await rush(() => 1);
    console.info('[rush one instance, quantity 1]', JSON.stringify({ ...figures, answeredMs, settledMs }));
    expect(figures.confirmed).toBe(ON_HAND);
    expect(figures.rejected).toEqual({ out_of_stock: CUSTOMERS * PER_CUSTOMER - ON_HAND });
    expect(figures.reserved).toBe(ON_HAND);
    expect(figures.available).toBe(0);
  }, 120_000);

  it('quantities 1–3 (seeded): reserved is the sum of confirmed quantities, never above 50, no rejected order would fit', async () => {
    const random = seededRandom(0x15_05);
    const quantities = Array.from({ length: CUSTOMERS * PER_CUSTOMER }, () => 1 + Math.floor(random() * 3));
    const { figures, answeredMs, settledMs } = await rush((index) => quantities[index]);
    console.info('[rush one instance, quantity 1-3]', JSON.stringify({ ...figures, answeredMs, settledMs }));
    // Demand (~400 units) far exceeds supply: most orders are refused, and what is left cannot serve any of them.
    expect(figures.confirmed).toBeGreaterThan(0);
    expect(figures.rejected.out_of_stock).toBeGreaterThan(0);
    expect(figures.reserved).toBeGreaterThan(ON_HAND - 3);
  }, 120_000);
});

/**
 * The smallest form of the rush's first failure: `POST /orders` holds one pooled connection for the
 * Idempotency-Key transaction, and the order's `prepare` (catalog prices) asks the pool for a second one. With as
 * many concurrent orders as the pool has connections, each holds one and waits for another: nobody gets through
 * until DB_POOL_ACQUIRE_TIMEOUT, then all answer 503 — and clients retrying meet the same wall.
 */
describe.skipIf(testProfile().kind !== 'server')(describeProfile('ordering: orders beyond the pool size'), () => {
  let testApp: TestApp;
  let api: ApiClient;

  beforeAll(async () => {
    testApp = await createTestApp({ DB_POOL_SIZE: '2', DB_POOL_ACQUIRE_TIMEOUT: '1s' });
    api = new ApiClient(testApp);
  });
  afterAll(() => testApp?.close());

  it('answers 201 to every one of 8 concurrent orders on a pool of 2 connections', async () => {
    const admin = await api.adminSession();
    const created = await api.call<{ id: string }>('POST', '/api/v1/products', {
      token: admin.accessToken,
      body: { sku: `POOL-${uuidv7().slice(-12)}`, name: 'Pool test', price: { amount: 100, currency: 'EUR' } },
    });
    const customer = await api.newCustomer();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        api.call('POST', '/api/v1/orders', {
          token: customer.accessToken,
          body: { lines: [{ productId: created.body.data.id, quantity: 1 }] },
          headers: { 'idempotency-key': uuidv7() },
        }),
      ),
    );
    expect(answers.map((answer) => `${answer.status}/${answer.body.code}`)).toEqual(Array(8).fill('201/0'));
  }, 30_000);
});
