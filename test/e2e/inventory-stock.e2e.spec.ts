import { v7 as uuidv7 } from 'uuid';
import { ApiClient, type Session } from '../support/api-client.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { describeProfile } from '../support/test-profile.js';

interface StockBody {
  productId: string;
  onHand: number;
  reserved: number;
  available: number;
  version: number;
}

describe(describeProfile('inventory: stock endpoints'), () => {
  let testApp: TestApp;
  let api: ApiClient;
  let admin: Session;
  let customer: Session;

  beforeAll(async () => {
    testApp = await createTestApp();
    api = new ApiClient(testApp);
    admin = await api.adminSession();
    customer = await api.newCustomer();
  });
  afterAll(() => testApp.close());

  async function newProduct(): Promise<string> {
    const sku = `STK-${uuidv7().slice(-12)}`;
    const created = await api.call<{ id: string }>('POST', '/api/v1/products', {
      token: admin.accessToken,
      body: { sku, name: `Stock test ${sku}`, price: { amount: 250, currency: 'EUR' } },
    });
    expect(created.status).toBe(201);
    return created.body.data.id;
  }

  const adjustUrl = (id: string) => `/api/v1/products/${id}/stock-adjustments`;

  it('reads zeros for a product the moment POST /products has answered, and 404 for an unknown product', async () => {
    const productId = await newProduct();
    const stock = await api.call<StockBody>('GET', `/api/v1/products/${productId}/stock`);
    expect(stock.status).toBe(200);
    expect(stock.body).toMatchObject({
      code: 0,
      data: { productId, onHand: 0, reserved: 0, available: 0, version: 0 },
    });

    const unknown = await api.call('GET', `/api/v1/products/${uuidv7()}/stock`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe(40400);
    const upperCase = await api.call<StockBody>('GET', `/api/v1/products/${productId.toUpperCase()}/stock`);
    expect(upperCase.body.data).toMatchObject({ productId, onHand: 0 });
    const malformed = await api.call('GET', '/api/v1/products/not-a-uuid/stock');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([{ field: 'id', message: expect.any(String) }]);
  });

  it('adjusts stock (201 with the new stock) and the next read sees it at once', async () => {
    const productId = await newProduct();
    const added = await api.call<StockBody>('POST', adjustUrl(productId), {
      token: admin.accessToken,
      body: { delta: 12, reason: 'delivery' },
    });
    expect(added.status).toBe(201);
    expect(added.body.data).toEqual({ productId, onHand: 12, reserved: 0, available: 12, version: 1 });
    const removed = await api.call<StockBody>('POST', adjustUrl(productId), {
      token: admin.accessToken,
      body: { delta: -5, reason: 'damaged in transit' },
    });
    expect(removed.body.data).toMatchObject({ onHand: 7, available: 7, version: 2 });
    expect((await api.call<StockBody>('GET', `/api/v1/products/${productId}/stock`)).body.data).toMatchObject({
      onHand: 7,
      version: 2,
    });
  });

  it('never goes below zero: 422 42203 and nothing changes', async () => {
    const productId = await newProduct();
    await api.call('POST', adjustUrl(productId), { token: admin.accessToken, body: { delta: 3, reason: 'count' } });
    const tooMany = await api.call('POST', adjustUrl(productId), {
      token: admin.accessToken,
      body: { delta: -4, reason: 'count' },
    });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.code).toBe(42203);
    expect((await api.call<StockBody>('GET', `/api/v1/products/${productId}/stock`)).body.data.onHand).toBe(3);
  });

  it('validates the body and lists every invalid field', async () => {
    const productId = await newProduct();
    const bad = await api.call('POST', adjustUrl(productId), {
      token: admin.accessToken,
      body: { delta: 1.5, reason: '', extra: true },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe(40000);
    expect(bad.body.errors?.map((error) => error.field).sort()).toEqual(['delta', 'extra', 'reason']);
    const zero = await api.call('POST', adjustUrl(productId), {
      token: admin.accessToken,
      body: { delta: 0, reason: 'x' },
    });
    expect(zero.status).toBe(400);
    expect(zero.body.errors).toEqual([{ field: 'delta', message: expect.any(String) }]);
    const notAnObject = await api.call('POST', adjustUrl(productId), { token: admin.accessToken, body: '[1]' });
    expect(notAnObject.status).toBe(400);
    expect(notAnObject.body.code).toBe(40000);
  });

  it('is for admins: 401 anonymous, 403 customers, 404 for an unknown product', async () => {
    const productId = await newProduct();
    const anonymous = await api.call('POST', adjustUrl(productId), { body: { delta: 1, reason: 'x' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe(40100);
    const asCustomer = await api.call('POST', adjustUrl(productId), {
      token: customer.accessToken,
      body: { delta: 1, reason: 'x' },
    });
    expect(asCustomer.status).toBe(403);
    expect(asCustomer.body.code).toBe(40300);
    const unknown = await api.call('POST', adjustUrl(uuidv7()), {
      token: admin.accessToken,
      body: { delta: 1, reason: 'x' },
    });
    expect(unknown.status).toBe(404);
  });

  it('stores a reason that looks like SQL verbatim', async () => {
    const productId = await newProduct();
    const reason = "'); DELETE FROM inventory_stock; -- ünïcødé 📦";
    const answer = await api.call('POST', adjustUrl(productId), {
      token: admin.accessToken,
      body: { delta: 2, reason },
    });
    expect(answer.status).toBe(201);
    const { DataSource } = await import('typeorm');
    const rows = await testApp.app
      .get(DataSource)
      .query<{ reason: string }[]>('SELECT reason FROM inventory_movements WHERE product_id = ?', [productId]);
    expect(rows.map((row) => row.reason)).toEqual([reason]);
  });
});
