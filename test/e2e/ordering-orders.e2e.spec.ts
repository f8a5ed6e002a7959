import { v7 as uuidv7 } from 'uuid';
import { ApiClient, type ApiResponse, type Session } from '../support/api-client.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { describeProfile } from '../support/test-profile.js';
import { waitFor } from '../support/wait-for.js';

interface Money {
  amount: number;
  currency: string;
}
interface OrderBody {
  id: string;
  userId: string;
  status: string;
  lines: { productId: string; quantity: number; unitPrice: Money; lineTotal: Money }[];
  subtotal: Money;
  discount: Money;
  total: Money;
  couponCode?: string;
  reason?: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}
interface StockBody {
  onHand: number;
  reserved: number;
  available: number;
}

describe(describeProfile('ordering: orders'), () => {
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
    const sku = `ORD-${uuidv7().slice(-12)}`;
    const created = await api.call<{ id: string }>('POST', '/api/v1/products', {
      token: admin.accessToken,
      body: { sku, name: `Order test ${sku}`, price: { amount: price, currency: 'EUR' } },
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

  function place(
    session: Session,
    lines: unknown,
    key: string | null = uuidv7(),
    extra: Record<string, unknown> = {},
  ): Promise<ApiResponse<OrderBody>> {
    return api.call<OrderBody>('POST', '/api/v1/orders', {
      token: session.accessToken,
      body: { lines, ...extra },
      headers: key === null ? {} : { 'idempotency-key': key },
    });
  }

  const getOrder = (session: Session, id: string) =>
    api.call<OrderBody>('GET', `/api/v1/orders/${id}`, { token: session.accessToken });
  const stockOf = async (productId: string) =>
    (await api.call<StockBody>('GET', `/api/v1/products/${productId}/stock`)).body.data;
  const settled = (session: Session, id: string) =>
    waitFor(
      () => getOrder(session, id),
      (response) => response.body.data.status !== 'PENDING',
    );

  it('places an order: 201 PENDING with prices captured, readable at once, then CONFIRMED with stock reserved', async () => {
    const mug = await newProduct(1290, 10);
    const tea = await newProduct(450, 10);
    const placed = await place(alice, [
      { productId: mug, quantity: 2 },
      { productId: tea, quantity: 3 },
    ]);
    expect(placed.status).toBe(201);
    const order = placed.body.data;
    expect(order).toMatchObject({
      userId: alice.userId,
      status: 'PENDING',
      lines: [
        { productId: mug, quantity: 2, unitPrice: { amount: 1290, currency: 'EUR' }, lineTotal: { amount: 2580 } },
        { productId: tea, quantity: 3, unitPrice: { amount: 450, currency: 'EUR' }, lineTotal: { amount: 1350 } },
      ],
      subtotal: { amount: 3930, currency: 'EUR' },
      discount: { amount: 0, currency: 'EUR' },
      total: { amount: 3930, currency: 'EUR' },
      version: 1,
    });
    expect(order.reason).toBeUndefined();
    expect(order.couponCode).toBeUndefined();

    // Read-your-writes: the read model already holds what the 201 said (or what the saga made of it since).
    const read = await getOrder(alice, order.id);
    expect(read.status).toBe(200);
    expect(read.body.data.id).toBe(order.id);
    expect(read.body.data.lines).toEqual(order.lines);

    const confirmed = await settled(alice, order.id);
    expect(confirmed.body.data).toMatchObject({ status: 'CONFIRMED', version: 2, total: order.total });
    expect(await stockOf(mug)).toMatchObject({ onHand: 10, reserved: 2, available: 8 });
    expect(await stockOf(tea)).toMatchObject({ onHand: 10, reserved: 3, available: 7 });

    // A later price change never alters a placed order.
    await api.call('PATCH', `/api/v1/products/${mug}`, {
      token: admin.accessToken,
      body: { price: { amount: 9999, currency: 'EUR' } },
    });
    expect((await getOrder(alice, order.id)).body.data.lines[0].unitPrice.amount).toBe(1290);
  });

  it('rejects an order the stock cannot cover (reason out_of_stock), all lines or none', async () => {
    const plenty = await newProduct(100, 10);
    const scarce = await newProduct(100, 1);
    const placed = await place(alice, [
      { productId: plenty, quantity: 1 },
      { productId: scarce, quantity: 2 },
    ]);
    expect(placed.status).toBe(201);
    const rejected = await settled(alice, placed.body.data.id);
    expect(rejected.body.data).toMatchObject({ status: 'REJECTED', reason: 'out_of_stock', version: 2 });
    expect(await stockOf(plenty)).toMatchObject({ reserved: 0, available: 10 });
    expect(await stockOf(scarce)).toMatchObject({ reserved: 0, available: 1 });
  });

  it('validates lines by path and names unknown, archived and repeated products', async () => {
    const product = await newProduct(100, 5);
    const archived = await newProduct(100, 5);
    await api.call('DELETE', `/api/v1/products/${archived}`, { token: admin.accessToken });

    const empty = await place(alice, []);
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe(40000);
    expect(empty.body.errors?.map((e) => e.field)).toContain('lines');

    const badQuantity = await place(alice, [{ productId: product, quantity: 0 }]);
    expect(badQuantity.status).toBe(400);
    expect(badQuantity.body.errors).toEqual([{ field: 'lines[0].quantity', message: expect.any(String) }]);

    const fractional = await place(alice, [{ productId: product, quantity: 1.5 }]);
    expect(fractional.body.errors?.map((e) => e.field)).toEqual(['lines[0].quantity']);

    const notUuid = await place(alice, [{ productId: 'mug', quantity: 1 }]);
    expect(notUuid.body.errors?.map((e) => e.field)).toEqual(['lines[0].productId']);

    const missing = await place(alice, { productId: product, quantity: 1 });
    expect(missing.status).toBe(400);

    const references = await place(alice, [
      { productId: product, quantity: 1 },
      { productId: uuidv7(), quantity: 1 },
      { productId: archived, quantity: 1 },
    ]);
    expect(references.status).toBe(400);
    expect(references.body.code).toBe(40000);
    expect(references.body.errors?.map((e) => e.field)).toEqual(['lines[1].productId', 'lines[2].productId']);

    const repeated = await place(alice, [
      { productId: product, quantity: 1 },
      { productId: product.toUpperCase(), quantity: 2 },
    ]);
    expect(repeated.status).toBe(400);
    expect(repeated.body.errors).toEqual([{ field: 'lines[1].productId', message: expect.any(String) }]);

    const unknownField = await place(alice, [{ productId: product, quantity: 1 }], uuidv7(), { gift: true });
    expect(unknownField.status).toBe(400);
    // Nothing was placed by any of these.
    expect(await stockOf(product)).toMatchObject({ reserved: 0 });
  });

  describe('Idempotency-Key', () => {
    it('replays the first answer for the same key and body, and places nothing twice', async () => {
      const product = await newProduct(700, 10);
      const key = uuidv7();
      const lines = [{ productId: product, quantity: 1 }];
      const first = await place(alice, lines, key);
      const again = await place(alice, lines, key);
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body.data).toEqual(first.body.data);
      expect(again.headers['idempotent-replayed']).toBe('true');
      await settled(alice, first.body.data.id);
      expect(await stockOf(product)).toMatchObject({ reserved: 1 });
    });

    it('answers 409 40902 for the same key with another body, 400 without a key', async () => {
      const product = await newProduct(700, 10);
      const key = uuidv7();
      expect((await place(alice, [{ productId: product, quantity: 1 }], key)).status).toBe(201);
      const other = await place(alice, [{ productId: product, quantity: 2 }], key);
      expect(other.status).toBe(409);
      expect(other.body.code).toBe(40902);
      const keyless = await place(alice, [{ productId: product, quantity: 1 }], null);
      expect(keyless.status).toBe(400);
      expect(keyless.body.code).toBe(40000);
      expect(keyless.body.errors?.map((e) => e.field)).toEqual(['Idempotency-Key']);
    });

    it('scopes keys to the caller: another user with the same key places an order of their own', async () => {
      const product = await newProduct(700, 10);
      const key = uuidv7();
      const lines = [{ productId: product, quantity: 1 }];
      const mine = await place(alice, lines, key);
      const theirs = await place(bob, lines, key);
      expect(theirs.status).toBe(201);
      expect(theirs.body.data.id).not.toBe(mine.body.data.id);
      expect(theirs.body.data.userId).toBe(bob.userId);
    });

    it('concurrent duplicates place one order and all get its answer', async () => {
      const product = await newProduct(700, 50);
      const key = uuidv7();
      const lines = [{ productId: product, quantity: 1 }];
      const answers = await Promise.all(Array.from({ length: 10 }, () => place(alice, lines, key)));
      const ids = new Set(answers.filter((a) => a.status === 201).map((a) => a.body.data.id));
      expect(ids.size).toBe(1);
      for (const answer of answers) expect([201, 409]).toContain(answer.status);
      await settled(alice, [...ids][0]);
      expect(await stockOf(product)).toMatchObject({ reserved: 1 });
    });
  });

  describe('cancel', () => {
    it('cancels a confirmed order, releases its stock, and refuses a second cancel with 42204', async () => {
      const product = await newProduct(500, 5);
      const placed = await place(alice, [{ productId: product, quantity: 2 }]);
      await settled(alice, placed.body.data.id);
      expect(await stockOf(product)).toMatchObject({ reserved: 2 });

      const cancelled = await api.call<OrderBody>('POST', `/api/v1/orders/${placed.body.data.id}/cancel`, {
        token: alice.accessToken,
      });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.data).toMatchObject({ status: 'CANCELLED', reason: 'cancelled_by_customer', version: 3 });
      expect((await getOrder(alice, placed.body.data.id)).body.data.status).toBe('CANCELLED');
      await waitFor(
        () => stockOf(product),
        (stock) => stock.reserved === 0,
      );

      const twice = await api.call('POST', `/api/v1/orders/${placed.body.data.id}/cancel`, {
        token: alice.accessToken,
      });
      expect(twice.status).toBe(422);
      expect(twice.body.code).toBe(42204);
    });

    it('cancels a PENDING order too; whatever inventory reserves for it afterwards is released', async () => {
      const product = await newProduct(500, 5);
      const placed = await place(alice, [{ productId: product, quantity: 1 }]);
      const cancelled = await api.call<OrderBody>('POST', `/api/v1/orders/${placed.body.data.id}/cancel`, {
        token: alice.accessToken,
      });
      // The saga may have confirmed it first; either way the cancel wins and ends with nothing reserved.
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.data.status).toBe('CANCELLED');
      await waitFor(
        () => stockOf(product),
        (stock) => stock.reserved === 0,
      );
      expect((await getOrder(alice, placed.body.data.id)).body.data.status).toBe('CANCELLED');
    });

    it('lets an admin cancel anyone’s order (reason cancelled_by_admin)', async () => {
      const product = await newProduct(500, 5);
      const placed = await place(bob, [{ productId: product, quantity: 1 }]);
      await settled(bob, placed.body.data.id);
      const cancelled = await api.call<OrderBody>('POST', `/api/v1/orders/${placed.body.data.id}/cancel`, {
        token: admin.accessToken,
      });
      expect(cancelled.body.data).toMatchObject({ status: 'CANCELLED', reason: 'cancelled_by_admin' });
    });
  });

  it('hides other users’ orders: 404 40400 on every route, absent from their list', async () => {
    const product = await newProduct(500, 5);
    const placed = await place(alice, [{ productId: product, quantity: 1 }]);
    const id = placed.body.data.id;
    for (const [method, url] of [
      ['GET', `/api/v1/orders/${id}`],
      ['POST', `/api/v1/orders/${id}/cancel`],
    ] as const) {
      const answer = await api.call(method, url, { token: bob.accessToken });
      expect(answer.status).toBe(404);
      expect(answer.body.code).toBe(40400);
    }
    const unknown = await getOrder(alice, uuidv7());
    expect(unknown.status).toBe(404);
    const bobs = await api.call<{ items: OrderBody[] }>('GET', '/api/v1/orders?limit=100', { token: bob.accessToken });
    expect(bobs.body.data.items.map((o) => o.id)).not.toContain(id);
    expect((await getOrder(alice, id.toUpperCase())).body.data.id).toBe(id);
  });

  describe('list', () => {
    it('lists own orders newest first with keyset pages', async () => {
      const carol = await api.newCustomer();
      const product = await newProduct(100, 20);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await place(carol, [{ productId: product, quantity: 1 }])).body.data.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: ApiResponse<{ items: OrderBody[]; nextCursor: string | null }> = await api.call(
          'GET',
          `/api/v1/orders?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`,
          { token: carol.accessToken },
        );
        expect(page.status).toBe(200);
        expect(page.body.data.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.data.items.map((o) => o.id));
        cursor = page.body.data.nextCursor;
      } while (cursor !== null);
      expect(seen).toEqual([...ids].reverse());
    });

    it('answers 403 to a customer naming another user, filters by user for admins, and lists everyone for admins', async () => {
      const product = await newProduct(100, 20);
      const mine = await place(alice, [{ productId: product, quantity: 1 }]);
      const theirs = await place(bob, [{ productId: product, quantity: 1 }]);

      const forbidden = await api.call('GET', `/api/v1/orders?userId=${bob.userId}`, { token: alice.accessToken });
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.code).toBe(40300);
      const self = await api.call<{ items: OrderBody[] }>('GET', `/api/v1/orders?userId=${alice.userId}`, {
        token: alice.accessToken,
      });
      expect(self.status).toBe(200);
      expect(self.body.data.items.every((o) => o.userId === alice.userId)).toBe(true);

      const bobsForAdmin = await api.call<{ items: OrderBody[] }>(
        'GET',
        `/api/v1/orders?userId=${bob.userId}&limit=100`,
        { token: admin.accessToken },
      );
      expect(bobsForAdmin.body.data.items.map((o) => o.id)).toContain(theirs.body.data.id);
      expect(bobsForAdmin.body.data.items.every((o) => o.userId === bob.userId)).toBe(true);

      const everyone = await api.call<{ items: OrderBody[] }>('GET', '/api/v1/orders?limit=2', {
        token: admin.accessToken,
      });
      expect(everyone.body.data.items.map((o) => o.id)).toEqual([theirs.body.data.id, mine.body.data.id]);
    });

    it('refuses bad pagination and unknown parameters with 40000', async () => {
      for (const query of ['limit=0', 'limit=101', 'cursor=%21%21', 'cursor=abc', 'userId=nope', 'status=PAID']) {
        const answer = await api.call('GET', `/api/v1/orders?${query}`, { token: alice.accessToken });
        expect(answer.status, query).toBe(400);
        expect(answer.body.code, query).toBe(40000);
      }
      const anonymous = await api.call('GET', '/api/v1/orders');
      expect(anonymous.status).toBe(401);
    });
  });

  it('ships only paid orders: 42204 for a confirmed one, 403 for customers, 404 for unknown', async () => {
    const product = await newProduct(100, 5);
    const placed = await place(alice, [{ productId: product, quantity: 1 }]);
    await settled(alice, placed.body.data.id);
    const ship = (session: Session, id: string) =>
      api.call('POST', `/api/v1/orders/${id}/ship`, { token: session.accessToken });
    const notPaid = await ship(admin, placed.body.data.id);
    expect(notPaid.status).toBe(422);
    expect(notPaid.body.code).toBe(42204);
    expect((await ship(alice, placed.body.data.id)).status).toBe(403);
    expect((await ship(admin, uuidv7())).status).toBe(404);
  });
});
