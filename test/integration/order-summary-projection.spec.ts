import { v7 as uuidv7 } from 'uuid';
import { DataSource } from 'typeorm';
import { OrderSummaryRebuild } from '../../src/modules/ordering/application/ports/order-summary-read-model.js';
import { OrderSummaryOrmEntity } from '../../src/modules/ordering/infrastructure/read-model/order-summary.orm-entity.js';
import { OrderSummaryProjection } from '../../src/modules/ordering/infrastructure/read-model/order-summary.projection.js';
import type { OrderSnapshot } from '../../src/modules/ordering/domain/order.events.js';
import { ApiClient, type Session } from '../support/api-client.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { describeProfile } from '../support/test-profile.js';
import { waitFor } from '../support/wait-for.js';

interface OrderBody {
  id: string;
  status: string;
  version: number;
}

/**
 * The read model (`order_summaries`) against a real database: the projection is an upsert that only a newer
 * version wins, so events applied twice, late or out of order change nothing; the rebuild restores every summary
 * from the orders table, and removes summaries of orders that do not exist.
 */
describe(describeProfile('ordering: order_summaries projection and rebuild'), () => {
  let testApp: TestApp;
  let api: ApiClient;
  let customer: Session;
  let dataSource: DataSource;
  let productId: string;

  beforeAll(async () => {
    testApp = await createTestApp();
    api = new ApiClient(testApp);
    const admin = await api.adminSession();
    customer = await api.newCustomer();
    dataSource = testApp.app.get(DataSource);
    const sku = `RM-${uuidv7().slice(-12)}`;
    const created = await api.call<{ id: string }>('POST', '/api/v1/products', {
      token: admin.accessToken,
      body: { sku, name: `Read model ${sku}`, price: { amount: 990, currency: 'EUR' } },
    });
    productId = created.body.data.id;
    await api.call('POST', `/api/v1/products/${productId}/stock-adjustments`, {
      token: admin.accessToken,
      body: { delta: 100, reason: 'delivery' },
    });
  });
  afterAll(() => testApp.close());

  async function confirmedOrder(): Promise<OrderBody> {
    const placed = await api.call<OrderBody>('POST', '/api/v1/orders', {
      token: customer.accessToken,
      headers: { 'idempotency-key': uuidv7() },
      body: { lines: [{ productId, quantity: 1 }] },
    });
    return (
      await waitFor(
        () => api.call<OrderBody>('GET', `/api/v1/orders/${placed.body.data.id}`, { token: customer.accessToken }),
        (r) => r.body.data.status === 'CONFIRMED',
      )
    ).body.data;
  }

  const summaryRow = async (id: string) =>
    (
      await dataSource.query<{ status: string; version: number; view: string }[]>(
        'SELECT status, version, view FROM order_summaries WHERE id = ?',
        [id],
      )
    )[0];

  const snapshotOf = (view: string): OrderSnapshot => {
    const parsed = JSON.parse(view) as OrderSnapshot & { id: string; lines: OrderSnapshot['lines'] };
    return {
      orderId: parsed.id,
      userId: parsed.userId,
      status: parsed.status,
      lines: parsed.lines.map((l) => ({ productId: l.productId, quantity: l.quantity, unitPrice: l.unitPrice })),
      subtotal: parsed.subtotal,
      discount: parsed.discount,
      total: parsed.total,
      couponCode: null,
      reason: null,
      createdAt: parsed.createdAt,
      updatedAt: parsed.updatedAt,
      version: parsed.version,
    };
  };

  it('ignores a re-delivered, an older and an out-of-order event; a newer one wins', async () => {
    const order = await confirmedOrder();
    const projection = testApp.app.get(OrderSummaryProjection);
    const stored = await summaryRow(order.id);
    expect(stored).toMatchObject({ status: 'CONFIRMED', version: 2 });
    const confirmed = snapshotOf(stored.view);

    // The same event again, and the older `order_placed` arriving late: nothing changes.
    await projection.apply(confirmed);
    await projection.apply({ ...confirmed, status: 'PENDING', version: 1 });
    expect(await summaryRow(order.id)).toEqual(stored);

    // A newer version wins, even when a lower one follows it.
    await projection.apply({ ...confirmed, status: 'CANCELLED', reason: 'cancelled_by_customer', version: 3 });
    await projection.apply({ ...confirmed, status: 'EXPIRED', version: 2 });
    expect(await summaryRow(order.id)).toMatchObject({ status: 'CANCELLED', version: 3 });

    // A lost summary comes back from any event of the order.
    await dataSource.query('DELETE FROM order_summaries WHERE id = ?', [order.id]);
    await projection.apply({ ...confirmed, status: 'CANCELLED', reason: 'cancelled_by_customer', version: 3 });
    expect(await summaryRow(order.id)).toMatchObject({ status: 'CANCELLED', version: 3 });
  });

  it('rebuilds every summary from the orders table, byte for byte, and drops summaries without an order', async () => {
    const orders = [await confirmedOrder(), await confirmedOrder(), await confirmedOrder()];
    const before = await Promise.all(orders.map((order) => summaryRow(order.id)));

    // Damage the read model: one summary lost, one stale, one order that does not exist.
    await dataSource.query('DELETE FROM order_summaries WHERE id = ?', [orders[0].id]);
    await dataSource.query(`UPDATE order_summaries SET status = 'PENDING', view = '{}' WHERE id = ?`, [orders[1].id]);
    const ghost = uuidv7();
    await dataSource.getRepository(OrderSummaryOrmEntity).insert({
      id: ghost,
      userId: customer.userId,
      status: 'PENDING',
      view: '{}',
      version: 1,
      createdAt: new Date(),
      updatedAt: new Date(),
    });

    const written = await testApp.app.get(OrderSummaryRebuild).rebuild();
    expect(written).toBeGreaterThanOrEqual(3);
    expect(await Promise.all(orders.map((order) => summaryRow(order.id)))).toEqual(before);
    expect(await summaryRow(ghost)).toBeUndefined();
    const listed = await api.call<{ items: { id: string }[] }>('GET', '/api/v1/orders?limit=100', {
      token: customer.accessToken,
    });
    expect(listed.body.data.items.map((item) => item.id)).toEqual(
      expect.arrayContaining(orders.map((order) => order.id)),
    );
  });
});
