import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ApiClient, type Session } from '../support/api-client.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import {
  couponSnapshot,
  expectCouponRushConsistent,
  pendingCount,
  placeWithRetries,
  rushPlan,
  rushSnapshot,
  undeliveredCount,
  type PlaceAnswer,
  type RushOrder,
} from '../support/order-rush.js';
import { createTestDataSource } from '../support/test-data-source.js';
import { describeProfile, testProfile } from '../support/test-profile.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Issue #16 §4, SPEC §3 promotions "Never over-redeemed": concurrent orders with one coupon against the real saga
 * (inventory and promotions both reserving, through the outbox), on MariaDB, where transactions really run side by
 * side. Each proof reads the database for its own customers, product and coupon only (CI runs every server e2e file
 * on one database). Every order is sent with its own Idempotency-Key and retried on 503 like a careful client.
 *
 * A refused coupon may be answered two ways, both allowed by SPEC §3: 422 42205 at placement (the coupon was
 * already used up when the order arrived), or 201 and then REJECTED `coupon_exhausted` by the saga (it was used up
 * while the order was in flight). The proofs report the split.
 */
describe.skipIf(testProfile().kind !== 'server')(describeProfile('promotions: coupon rushes'), () => {
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
    const sku = `CRUSH-${uuidv7().slice(-12)}`;
    const created = await api.call<{ id: string }>('POST', '/api/v1/products', {
      token: admin.accessToken,
      body: { sku, name: `Coupon rush ${sku}`, price: { amount: 2000, currency: 'EUR' } },
    });
    expect(created.status).toBe(201);
    const adjusted = await api.call('POST', `/api/v1/products/${created.body.data.id}/stock-adjustments`, {
      token: admin.accessToken,
      body: { delta: stock, reason: 'delivery' },
    });
    expect(adjusted.status).toBe(201);
    return created.body.data.id;
  }

  async function newCoupon(maxRedemptions: number | undefined, maxRedemptionsPerUser: number) {
    const created = await api.call<{ id: string; code: string }>('POST', '/api/v1/coupons', {
      token: admin.accessToken,
      body: { code: `RUSH-${uuidv7().slice(-12)}`, discount: { percent: 25 }, maxRedemptions, maxRedemptionsPerUser },
    });
    expect(created.status).toBe(201);
    return created.body.data;
  }

  /**
   * Sends `customers × perCustomer` orders for `quantity` units with the coupon, all at once, waits until the saga
   * has settled them, and checks what every proof must hold whatever the limits:
   * - answers are 201, or 422 42205 (coupon refused at placement) — nothing else;
   * - every order is final: CONFIRMED with the discount, or REJECTED for a reason in `reasons`;
   * - a confirmed order holds a `redeemed` redemption and a `reserved` stock reservation; a rejected one holds
   *   neither (its redemption refused or released, its stock refused or released: the compensations ran);
   * - the coupon's `redemptions` equals the confirmed orders, none pending; stock reserved = confirmed units;
   * - every event of these orders delivered, none dead-lettered.
   */
  async function rush(options: {
    customers: number;
    perCustomer: number;
    stock: number;
    maxRedemptions: number | undefined;
    maxRedemptionsPerUser: number;
    reasons: readonly string[];
  }) {
    const productId = await newProduct(options.stock);
    const coupon = await newCoupon(options.maxRedemptions, options.maxRedemptionsPerUser);
    const customers = await Promise.all(Array.from({ length: options.customers }, () => api.newCustomer()));
    const userIds = customers.map((customer) => customer.userId);
    const send = async (order: RushOrder): Promise<PlaceAnswer> => {
      const response = await api.call<{ id: string; status: string; userId: string }>('POST', '/api/v1/orders', {
        token: customers[order.customer].accessToken,
        body: { lines: [{ productId, quantity: order.quantity }], couponCode: coupon.code },
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
    const plan = rushPlan(options.customers, options.perCustomer, () => 1);
    const results = await Promise.all(plan.map((order) => placeWithRetries(order, send)));
    const answeredMs = Date.now() - startedAt;
    const unexpected = results.filter((r) => !(r.answer.status === 201 || r.answer.code === 42205));
    expect(unexpected.map((r) => r.answer)).toEqual([]);
    const ids = results.flatMap((result) => (result.answer.data === undefined ? [] : [result.answer.data.id]));
    await waitFor(
      async () => ({
        pending: await pendingCount(dataSource, userIds),
        undelivered: await undeliveredCount(dataSource, ids),
        coupon: await couponSnapshot(dataSource, coupon.id),
      }),
      (state) => state.pending === 0 && state.undelivered === 0 && state.coupon.pending === 0,
      60_000,
    );
    const settledMs = Date.now() - startedAt;
    const snapshot = await rushSnapshot(dataSource, userIds, productId);
    const couponState = await couponSnapshot(dataSource, coupon.id);
    const figures = expectCouponRushConsistent(snapshot, couponState, ids, options.reasons);
    expect(snapshot.stock).toEqual({ onHand: options.stock, reserved: figures.confirmed });
    const refusedAtPlacement = results.filter((result) => result.answer.code === 42205).length;
    // The API agrees with the database.
    const read = await api.call<{ redemptions: number; pendingRedemptions: number }>(
      'GET',
      `/api/v1/coupons/${coupon.id}`,
      { token: admin.accessToken },
    );
    expect(read.body.data).toMatchObject({ redemptions: figures.confirmed, pendingRedemptions: 0 });
    return { ...figures, refusedAtPlacement, answeredMs, settledMs };
  }

  it('100 concurrent orders from 50 customers, a coupon limited to 10, stock for all: exactly 10 confirmed', async () => {
    const figures = await rush({
      customers: 50,
      perCustomer: 2,
      stock: 100,
      maxRedemptions: 10,
      maxRedemptionsPerUser: 2,
      reasons: ['coupon_exhausted'],
    });
    console.info('[coupon rush: 100 orders, 10 redemptions]', JSON.stringify(figures));
    expect(figures.confirmed).toBe(10);
    expect(figures.placed + figures.refusedAtPlacement).toBe(100);
    expect(figures.rejected.coupon_exhausted ?? 0).toBe(figures.placed - 10);
  }, 120_000);

  it('10 concurrent orders of one customer against maxRedemptionsPerUser 1: exactly 1 confirmed', async () => {
    const figures = await rush({
      customers: 1,
      perCustomer: 10,
      stock: 100,
      maxRedemptions: undefined,
      maxRedemptionsPerUser: 1,
      reasons: ['coupon_exhausted'],
    });
    console.info('[coupon rush: one customer, 10 orders, 1 per customer]', JSON.stringify(figures));
    expect(figures.confirmed).toBe(1);
    expect(figures.placed + figures.refusedAtPlacement).toBe(10);
  }, 60_000);

  it.each([
    { stock: 30, maxRedemptions: 20, compensated: 'stock' },
    { stock: 20, maxRedemptions: 30, compensated: 'coupon' },
  ])(
    'both scarce ($stock units, $maxRedemptions redemptions, 60 orders): holds of rejected orders are released ($compensated)',
    async ({ stock, maxRedemptions, compensated }) => {
      const figures = await rush({
        customers: 30,
        perCustomer: 2,
        stock,
        maxRedemptions,
        maxRedemptionsPerUser: 2,
        reasons: ['coupon_exhausted', 'out_of_stock'],
      });
      console.info(`[coupon rush: 60 orders, ${stock} units, ${maxRedemptions} redemptions]`, JSON.stringify(figures));
      expect(figures.confirmed).toBeLessThanOrEqual(Math.min(stock, maxRedemptions));
      expect(figures.confirmed).toBeGreaterThan(0);
      // The scarcer side refuses orders the other side had already served: those holds were given back.
      const released = compensated === 'stock' ? figures.stockReservations.released : figures.redemptionRows.released;
      expect(released ?? 0).toBeGreaterThan(0);
    },
    120_000,
  );
});
