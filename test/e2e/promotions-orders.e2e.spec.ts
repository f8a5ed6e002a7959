import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ApiClient, type Session } from '../support/api-client.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { describeProfile, testProfile } from '../support/test-profile.js';
import { waitFor } from '../support/wait-for.js';

interface Money {
  amount: number;
  currency: string;
}
interface OrderBody {
  id: string;
  status: string;
  subtotal: Money;
  discount: Money;
  total: Money;
  couponCode?: string;
  reason?: string;
  version: number;
}
interface CouponBody {
  id: string;
  code: string;
  redemptions: number;
  pendingRedemptions: number;
  status: string;
  version: number;
}

/**
 * Orders with coupons, through the HTTP API and the real saga (relay, inbox, both participants): the 42205 cases at
 * placement, the discount, the two-participant confirmation and the compensations. Both profiles.
 */
describe(describeProfile('promotions: orders with coupons'), () => {
  let testApp: TestApp;
  let api: ApiClient;
  let admin: Session;
  let alice: Session;
  let bob: Session;

  beforeAll(async () => {
    testApp = await createTestApp();
    api = new ApiClient(testApp);
    admin = await api.adminSession();
    alice = await api.newCustomer();
    bob = await api.newCustomer();
  });
  afterAll(() => testApp.close());

  async function newProduct(price: number, stock: number): Promise<string> {
    const sku = `PRM-${uuidv7().slice(-12)}`;
    const created = await api.call<{ id: string }>('POST', '/api/v1/products', {
      token: admin.accessToken,
      body: { sku, name: `Promotions test ${sku}`, price: { amount: price, currency: 'EUR' } },
    });
    expect(created.status).toBe(201);
    if (stock > 0) {
      const adjusted = await api.call('POST', `/api/v1/products/${created.body.data.id}/stock-adjustments`, {
        token: admin.accessToken,
        body: { delta: stock, reason: 'delivery' },
      });
      expect(adjusted.status).toBe(201);
    }
    return created.body.data.id;
  }

  async function newCoupon(terms: Record<string, unknown> = {}): Promise<CouponBody> {
    const created = await api.call<CouponBody>('POST', '/api/v1/coupons', {
      token: admin.accessToken,
      body: { code: `P-${uuidv7().slice(-12)}`, discount: { percent: 10 }, ...terms },
    });
    expect(created.status).toBe(201);
    return created.body.data;
  }

  const couponOf = async (id: string) =>
    (await api.call<CouponBody>('GET', `/api/v1/coupons/${id}`, { token: admin.accessToken })).body.data;

  function place(session: Session, productId: string, couponCode?: unknown, quantity = 1) {
    return api.call<OrderBody>('POST', '/api/v1/orders', {
      token: session.accessToken,
      body: { lines: [{ productId, quantity }], ...(couponCode === undefined ? {} : { couponCode }) },
      headers: { 'idempotency-key': uuidv7() },
    });
  }

  const getOrder = (session: Session, id: string) =>
    api.call<OrderBody>('GET', `/api/v1/orders/${id}`, { token: session.accessToken });
  const settled = async (session: Session, id: string) =>
    (
      await waitFor(
        () => getOrder(session, id),
        (response) => response.body.data.status !== 'PENDING',
      )
    ).body.data;
  const stockOf = async (productId: string) =>
    (await api.call<{ reserved: number; available: number }>('GET', `/api/v1/products/${productId}/stock`)).body.data;
  const orderCount = async (session: Session) =>
    (await api.call<{ items: unknown[] }>('GET', '/api/v1/orders?limit=100', { token: session.accessToken })).body.data
      .items.length;
  /** Waits until the saga has settled the coupon's counters (no redemption pending). */
  const quietCoupon = (id: string) =>
    waitFor(
      () => couponOf(id),
      (coupon) => coupon.pendingRedemptions === 0,
    );

  it('places an order with the discount (any case), confirms it once stock and coupon are both reserved', async () => {
    const mug = await newProduct(1235, 10);
    const coupon = await newCoupon({ maxRedemptions: 5 });
    const placed = await place(alice, mug, `  ${coupon.code.toLowerCase()} `, 2);
    expect(placed.status).toBe(201);
    expect(placed.body.data).toMatchObject({
      status: 'PENDING',
      subtotal: { amount: 2470, currency: 'EUR' },
      discount: { amount: 247, currency: 'EUR' }, // 10 % of 24.70 = 2.47
      total: { amount: 2223, currency: 'EUR' },
      couponCode: coupon.code,
      version: 1,
    });
    const confirmed = await settled(alice, placed.body.data.id);
    expect(confirmed).toMatchObject({ status: 'CONFIRMED', version: 2, discount: { amount: 247 } });
    expect(await quietCoupon(coupon.id)).toMatchObject({ redemptions: 1, pendingRedemptions: 0 });
    expect(await stockOf(mug)).toMatchObject({ reserved: 2 });
  });

  it('refuses a code that cannot apply with 422 42205 and creates no order', async () => {
    const mug = await newProduct(1000, 10);
    const disabled = await newCoupon();
    const disabling = await api.call('DELETE', `/api/v1/coupons/${disabled.id}`, { token: admin.accessToken });
    expect(disabling.body).toMatchObject({ code: 0, data: { status: 'disabled' } });
    const soon = await newCoupon({ validFrom: new Date(Date.now() + 3_600_000).toISOString() });
    const past = await newCoupon({ validUntil: new Date(Date.now() - 1000).toISOString() });
    const big = await newCoupon({ minSubtotal: { amount: 1001, currency: 'EUR' } });
    const once = await newCoupon({ maxRedemptionsPerUser: 1 });
    const held = await place(bob, mug, once.code);
    expect(held.status).toBe(201);
    // Placement sees the redemptions the saga has reserved so far: once bob's first order is decided he holds `once`.
    expect(await settled(bob, held.body.data.id)).toMatchObject({ status: 'CONFIRMED' });
    const before = await orderCount(bob);
    for (const code of ['NO-SUCH-CODE', disabled.code, soon.code, past.code, big.code, once.code]) {
      const refused = await place(bob, mug, code);
      expect(refused.status, code).toBe(422);
      expect(refused.body).toMatchObject({ code: 42205, data: null });
      expect(refused.body.message).toMatch(/^Coupon .+ cannot be applied: /);
    }
    expect(await orderCount(bob)).toBe(before);
    // The minimum is inclusive.
    expect((await place(bob, mug, big.code, 2)).status).toBe(201);
  });

  it('answers 400 on couponCode for a value that cannot be a code', async () => {
    const mug = await newProduct(1000, 10);
    for (const couponCode of ['ab', 'SAVE 10%', 'A'.repeat(33), 42, null, '']) {
      const refused = await place(alice, mug, couponCode);
      expect(refused.status, JSON.stringify(couponCode)).toBe(400);
      expect(refused.body).toMatchObject({ code: 40000 });
      expect(refused.body.errors?.map((error) => error.field)).toContain('couponCode');
    }
  });

  it('releases the redemption when the order is rejected for stock (compensation) or cancelled', async () => {
    const soldOut = await newProduct(1000, 0);
    const mug = await newProduct(1000, 10);
    const coupon = await newCoupon({ maxRedemptions: 1, maxRedemptionsPerUser: 1 });
    const rejected = await place(alice, soldOut, coupon.code);
    expect(await settled(alice, rejected.body.data.id)).toMatchObject({ status: 'REJECTED', reason: 'out_of_stock' });
    expect(await quietCoupon(coupon.id)).toMatchObject({ redemptions: 0, pendingRedemptions: 0 });

    // The coupon is free again: alice uses it, cancels, and may use it again.
    const kept = await place(alice, mug, coupon.code);
    expect(await settled(alice, kept.body.data.id)).toMatchObject({ status: 'CONFIRMED' });
    expect(await quietCoupon(coupon.id)).toMatchObject({ redemptions: 1 });
    expect((await place(bob, mug, coupon.code)).body.code).toBe(42205); // used up
    await api.call('POST', `/api/v1/orders/${kept.body.data.id}/cancel`, { token: alice.accessToken });
    await waitFor(
      () => couponOf(coupon.id),
      (body) => body.redemptions === 0,
    );
    expect(await stockOf(mug)).toMatchObject({ reserved: 0 });
    expect((await place(bob, mug, coupon.code)).status).toBe(201);
  });

  it('20 concurrent orders for a 3-use coupon: 3 confirmed and discounted, the rest refused, stock released', async () => {
    const mug = await newProduct(1000, 100);
    const coupon = await newCoupon({ maxRedemptions: 3, maxRedemptionsPerUser: 5 });
    const buyers = [alice, bob];
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => place(buyers[i % 2], mug, coupon.code)));
    const created = answers.filter((answer) => answer.status === 201);
    expect(answers.filter((answer) => answer.status !== 201).every((answer) => answer.body.code === 42205)).toBe(true);
    const outcomes = await Promise.all(
      created.map((answer) => settled(buyers[answers.indexOf(answer) % 2], answer.body.data.id)),
    );
    const confirmed = outcomes.filter((order) => order.status === 'CONFIRMED');
    expect(confirmed).toHaveLength(3);
    expect(confirmed.every((order) => order.discount.amount === 100)).toBe(true);
    expect(outcomes.filter((order) => order.status === 'REJECTED').every((o) => o.reason === 'coupon_exhausted')).toBe(
      true,
    );
    await waitFor(
      () => stockOf(mug),
      (stock) => stock.reserved === 3,
    );
    expect(await quietCoupon(coupon.id)).toMatchObject({ redemptions: 3, pendingRedemptions: 0 });
  });

  it('an order without a coupon costs promotions nothing: no inbox row, its confirmation written delivered', async () => {
    const mug = await newProduct(1000, 10);
    const placed = await place(alice, mug);
    expect(await settled(alice, placed.body.data.id)).toMatchObject({ status: 'CONFIRMED' });
    const dataSource = testApp.app.get(DataSource);
    const handlers = await dataSource.query<{ handler: string }[]>(
      'SELECT i.handler FROM outbox_inbox i JOIN outbox_events e ON e.id = i.event_id WHERE e.aggregate_id = ?',
      [placed.body.data.id],
    );
    expect(handlers.map((row) => row.handler).sort()).toEqual([
      'inventory.reserve-order-stock',
      'ordering.stock-reservation-outcome',
    ]);
  });
});

/** With ORDER_PAYMENT_TIMEOUT at 1 s, in an app of its own (started after the one above has stopped). */
describe(describeProfile('promotions: an expiring order with a coupon'), () => {
  let testApp: TestApp;
  let api: ApiClient;
  let admin: Session;
  let alice: Session;

  beforeAll(async () => {
    testApp = await createTestApp({ ORDER_PAYMENT_TIMEOUT: '1s' });
    api = new ApiClient(testApp);
    admin = await api.adminSession();
    alice = await api.newCustomer();
  });
  afterAll(() => testApp.close());

  it('releases the redemption of a confirmed order that expires unpaid', async () => {
    const product = await api.call<{ id: string }>('POST', '/api/v1/products', {
      token: admin.accessToken,
      body: { sku: `EXP-${uuidv7().slice(-12)}`, name: 'Expiring', price: { amount: 1000, currency: 'EUR' } },
    });
    const mug = product.body.data.id;
    await api.call('POST', `/api/v1/products/${mug}/stock-adjustments`, {
      token: admin.accessToken,
      body: { delta: 5, reason: 'delivery' },
    });
    const coupon = (
      await api.call<CouponBody>('POST', '/api/v1/coupons', {
        token: admin.accessToken,
        body: { code: `E-${uuidv7().slice(-12)}`, discount: { amount: { amount: 250, currency: 'EUR' } } },
      })
    ).body.data;
    const placed = await api.call<OrderBody>('POST', '/api/v1/orders', {
      token: alice.accessToken,
      body: { lines: [{ productId: mug, quantity: 1 }], couponCode: coupon.code },
      headers: { 'idempotency-key': uuidv7() },
    });
    expect(placed.body.data).toMatchObject({ discount: { amount: 250 }, total: { amount: 750 } });
    const couponOf = async () =>
      (await api.call<CouponBody>('GET', `/api/v1/coupons/${coupon.id}`, { token: admin.accessToken })).body.data;
    await waitFor(couponOf, (body) => body.redemptions === 1);
    const expired = await waitFor(
      () => api.call<OrderBody>('GET', `/api/v1/orders/${placed.body.data.id}`, { token: alice.accessToken }),
      (response) => response.body.data.status === 'EXPIRED',
      15_000,
    );
    expect(expired.body.data.reason).toBe('payment_timeout');
    await waitFor(couponOf, (body) => body.redemptions === 0 && body.pendingRedemptions === 0);
  });
});

describe.runIf(testProfile().kind === 'embedded')('promotions: the demo coupon [embedded]', () => {
  it('DEMO_DATA: WELCOME-10 takes 10 % off a customer’s first order, once', async () => {
    const demo = await createTestApp({ DEMO_DATA: 'true' });
    try {
      const api = new ApiClient(demo);
      const customer = await api.newCustomer();
      const products = await api.call<{ items: { id: string; sku: string; price: Money }[] }>(
        'GET',
        '/api/v1/products?limit=100',
      );
      const mug = products.body.data.items.find((item) => item.sku === 'MUG-001');
      expect(mug).toBeDefined();
      const order = (couponCode: string) =>
        api.call<OrderBody>('POST', '/api/v1/orders', {
          token: customer.accessToken,
          body: { lines: [{ productId: mug?.id, quantity: 1 }], couponCode },
          headers: { 'idempotency-key': uuidv7() },
        });
      const first = await order('welcome-10');
      expect(first.status).toBe(201);
      const price = mug?.price.amount ?? 0;
      expect(first.body.data.discount.amount).toBe(Math.floor((price * 10 + 50) / 100));
      await waitFor(
        () => api.call<OrderBody>('GET', `/api/v1/orders/${first.body.data.id}`, { token: customer.accessToken }),
        (response) => response.body.data.status === 'CONFIRMED',
      );
      expect((await order('WELCOME-10')).body.code).toBe(42205);
    } finally {
      await demo.close();
    }
  });
});
