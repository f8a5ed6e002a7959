import { v7 as uuidv7 } from 'uuid';
import { DataSource } from 'typeorm';
import { PendingOrdersBacklog } from '../../src/modules/ordering/infrastructure/intake/pending-orders-backlog.js';
import { OrderDeadlineTimer } from '../../src/modules/ordering/infrastructure/timers/order-deadline.timer.js';
import { OutboxRelay } from '../../src/platform/messaging/outbox-relay.js';
import { ApiClient, type Session } from '../support/api-client.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { describeProfile, testProfile } from '../support/test-profile.js';
import { waitFor } from '../support/wait-for.js';

interface OrderBody {
  id: string;
  createdAt: string;
  status: string;
  reason?: string;
  version: number;
}
interface StockBody {
  onHand: number;
  reserved: number;
  available: number;
}

async function newStockedProduct(api: ApiClient, admin: Session, units: number): Promise<string> {
  const sku = `TMR-${uuidv7().slice(-12)}`;
  const created = await api.call<{ id: string }>('POST', '/api/v1/products', {
    token: admin.accessToken,
    body: { sku, name: `Timer test ${sku}`, price: { amount: 300, currency: 'EUR' } },
  });
  await api.call('POST', `/api/v1/products/${created.body.data.id}/stock-adjustments`, {
    token: admin.accessToken,
    body: { delta: units, reason: 'delivery' },
  });
  return created.body.data.id;
}

async function placeOrder(api: ApiClient, customer: Session, productId: string, quantity = 1): Promise<OrderBody> {
  const placed = await api.call<OrderBody>('POST', '/api/v1/orders', {
    token: customer.accessToken,
    headers: { 'idempotency-key': uuidv7() },
    body: { lines: [{ productId, quantity }] },
  });
  expect(placed.status).toBe(201);
  return placed.body.data;
}

const orderOf = (api: ApiClient, session: Session, id: string) =>
  api.call<OrderBody>('GET', `/api/v1/orders/${id}`, { token: session.accessToken });
const stockOf = async (api: ApiClient, productId: string) =>
  (await api.call<StockBody>('GET', `/api/v1/products/${productId}/stock`)).body.data;

/**
 * The order timers: ORDER_PAYMENT_TIMEOUT expires confirmed orders, ORDER_CONFIRMATION_TIMEOUT rejects orders the
 * saga never decided — and what inventory reserved late for such an order is released. Stopping the app's relay
 * stands in for an inventory that does not answer (a crashed worker, a dead-lettered handler).
 */
describe(describeProfile('ordering: timers'), () => {
  describe('payment timeout', () => {
    let testApp: TestApp;
    let api: ApiClient;
    let admin: Session;
    let customer: Session;

    beforeAll(async () => {
      testApp = await createTestApp({ ORDER_PAYMENT_TIMEOUT: '600ms' });
      api = new ApiClient(testApp);
      admin = await api.adminSession();
      customer = await api.newCustomer();
    });
    afterAll(() => testApp.close());

    it('expires a confirmed, unpaid order (reason payment_timeout) and releases its stock', async () => {
      const productId = await newStockedProduct(api, admin, 5);
      const order = await placeOrder(api, customer, productId, 2);
      const confirmed = await waitFor(
        () => orderOf(api, customer, order.id),
        (r) => r.body.data.status !== 'PENDING',
      );
      expect(confirmed.body.data.status).toBe('CONFIRMED');
      expect(await stockOf(api, productId)).toMatchObject({ reserved: 2 });

      const expired = await waitFor(
        () => orderOf(api, customer, order.id),
        (r) => r.body.data.status === 'EXPIRED',
        5_000,
      );
      expect(expired.body.data).toMatchObject({ status: 'EXPIRED', reason: 'payment_timeout', version: 3 });
      await waitFor(
        () => stockOf(api, productId),
        (stock) => stock.reserved === 0 && stock.available === 5,
      );
      const cancelExpired = await api.call('POST', `/api/v1/orders/${order.id}/cancel`, {
        token: customer.accessToken,
      });
      expect(cancelExpired.status).toBe(422);
      expect(cancelExpired.body.code).toBe(42204);
    });
  });

  describe('confirmation timeout', () => {
    let testApp: TestApp;
    let api: ApiClient;
    let admin: Session;
    let customer: Session;

    beforeAll(async () => {
      testApp = await createTestApp({ ORDER_CONFIRMATION_TIMEOUT: '300ms' });
      api = new ApiClient(testApp);
      admin = await api.adminSession();
      customer = await api.newCustomer();
    });
    afterAll(() => testApp.close());

    it('rejects an order inventory never answered (reason timeout); the late reservation is released', async () => {
      const productId = await newStockedProduct(api, admin, 5);
      const relay = testApp.app.get(OutboxRelay);
      await relay.beforeApplicationShutdown();
      try {
        const order = await placeOrder(api, customer, productId, 3);
        const rejected = await waitFor(
          () => orderOf(api, customer, order.id),
          (r) => r.body.data.status !== 'PENDING',
          5_000,
        );
        expect(rejected.body.data).toMatchObject({ status: 'REJECTED', reason: 'timeout', version: 2 });
        expect(await stockOf(api, productId)).toMatchObject({ reserved: 0 });
      } finally {
        // Inventory comes back: it handles order_placed (reserves), then order_rejected (releases), in that order.
        relay.onApplicationBootstrap();
      }
      await waitFor(
        async () => {
          const dataSource = testApp.app.get(DataSource);
          const [row] = await dataSource.query<{ status: string }[]>(
            'SELECT status FROM inventory_reservations WHERE order_id IN (SELECT id FROM orders WHERE user_id = ?)',
            [customer.userId],
          );
          return row?.status;
        },
        (status) => status === 'released',
      );
      expect(await stockOf(api, productId)).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
    });
  });

  describe('load shedding', () => {
    let testApp: TestApp;
    let api: ApiClient;
    let admin: Session;
    let customer: Session;

    beforeAll(async () => {
      testApp = await createTestApp({ ORDER_CONFIRMATION_TIMEOUT: '1s' });
      api = new ApiClient(testApp);
      admin = await api.adminSession();
      customer = await api.newCustomer();
    });
    afterAll(() => testApp.close());

    it('refuses new orders with 503 50300 and Retry-After while the saga lags, and takes them again once it caught up', async () => {
      const productId = await newStockedProduct(api, admin, 5);
      const relay = testApp.app.get(OutboxRelay);
      const lag = testApp.app.get(PendingOrdersBacklog);
      const attempt = () =>
        api.call<OrderBody>('POST', '/api/v1/orders', {
          token: customer.accessToken,
          headers: { 'idempotency-key': uuidv7() },
          body: { lines: [{ productId, quantity: 1 }] },
        });
      await relay.beforeApplicationShutdown();
      try {
        expect((await attempt()).status).toBe(201);
        // Nothing is delivered now: once the oldest PENDING order has waited half the confirmation timeout, orders pause.
        const refused = await waitFor(
          async () => {
            await lag.sample();
            return attempt();
          },
          (answer) => answer.status !== 201,
          5_000,
        );
        expect(refused.status).toBe(503);
        expect(refused.body.code).toBe(50300);
        expect(refused.headers['retry-after']).toBe('1');
      } finally {
        relay.onApplicationBootstrap();
      }
      const accepted = await waitFor(
        async () => {
          await lag.sample();
          return attempt();
        },
        (answer) => answer.status === 201,
        10_000,
      );
      expect(accepted.body.data.status).toBe('PENDING');
    });
  });

  describe.skipIf(testProfile().kind !== 'server')('durable and once across instances', () => {
    it('an order left PENDING by a stopped instance is rejected by the next ones, exactly once', async () => {
      // Instance A takes the order and stops before anything answers it.
      const first = await createTestApp({ ORDER_CONFIRMATION_TIMEOUT: '1s' });
      const api = new ApiClient(first);
      const admin = await api.adminSession();
      const customer = await api.newCustomer();
      const productId = await newStockedProduct(api, admin, 5);
      await first.app.get(OutboxRelay).beforeApplicationShutdown();
      await first.app.get(OrderDeadlineTimer).beforeApplicationShutdown();
      const order = await placeOrder(api, customer, productId);
      // Inventory's handler gave up on the order (as after dead-lettering): order_placed counts as delivered, so
      // only the timer can still decide the order.
      await first.app
        .get(DataSource)
        .query('UPDATE outbox_events SET delivered_at = CURRENT_TIMESTAMP(6) WHERE aggregate_id = ?', [order.id]);
      await first.close();
      const deadline = Date.parse(order.createdAt) + 1_000;
      await waitFor(
        () => Date.now(),
        (now) => now > deadline,
      );

      // Two instances come up on the same database; both timers see the overdue order.
      const [b, c] = await Promise.all([
        createTestApp({ ORDER_CONFIRMATION_TIMEOUT: '1s' }),
        createTestApp({ ORDER_CONFIRMATION_TIMEOUT: '1s' }),
      ]);
      try {
        await Promise.all([b.app.get(OrderDeadlineTimer).sweep(), c.app.get(OrderDeadlineTimer).sweep()]);
        const apiB = new ApiClient(b);
        const settled = await waitFor(
          () => orderOf(apiB, customer, order.id),
          (r) => r.body.data.status !== 'PENDING',
          10_000,
        );
        expect(settled.body.data).toMatchObject({ status: 'REJECTED', reason: 'timeout', version: 2 });
        const dataSource = b.app.get(DataSource);
        const events = await dataSource.query<{ type: string }[]>(
          'SELECT type FROM outbox_events WHERE aggregate_id = ? ORDER BY seq',
          [order.id],
        );
        // Placed once, rejected once (whichever instance won), and inventory's answers to them.
        expect(events.filter((e) => e.type.startsWith('ordering.')).map((e) => e.type)).toEqual([
          'ordering.order_placed',
          'ordering.order_rejected',
        ]);
        await waitFor(
          () => stockOf(apiB, productId),
          (stock) => stock.reserved === 0,
        );
      } finally {
        await Promise.all([b.close(), c.close()]);
      }
    }, 60_000);
  });
});
