import { createPool, type Pool } from 'mysql2/promise';
import { v7 as uuidv7 } from 'uuid';
import { StockReservations } from '../../src/modules/inventory/contracts/stock-reservations.js';
import { ApiClient } from '../support/api-client.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { describeProfile, testProfile } from '../support/test-profile.js';

/**
 * `TEST_PROFILE=server npx vitest run --project bench test/bench/reservations.bench.spec.ts`: what a reservation
 * costs on one hot product, and the ceiling it is compared with — measured, not asserted.
 *
 * 1. The contract (`StockReservations.reserve`: unit of work, row lock on the stock row, reservation row, movement,
 *    outbox rows for `stock_changed` + `stock_reserved`, relay running) with WORKERS callers in a loop.
 * 2. The same effect as a hand-written mysql2 transaction with the conditional update instead of the lock
 *    (`UPDATE … SET reserved = reserved + 1 WHERE … AND on_hand - reserved >= 1`, then the movement, the
 *    reservation and one outbox row), same pool size, same callers: the floor of what any implementation pays.
 */
const WORKERS = Number(process.env.BENCH_WORKERS ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function drive(work: () => Promise<unknown>): Promise<{ rate: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  const until = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        await work();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const sorted = latencies.sort((a, b) => a - b);
  return {
    rate: latencies.length / ((performance.now() - started) / 1000),
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
  };
}

const server = testProfile().kind === 'server';

describe.skipIf(!server)(describeProfile('reservation measurements'), () => {
  let testApp: TestApp;
  let pool: Pool;
  const rows: string[] = [];

  beforeAll(async () => {
    testApp = await createTestApp({ DB_POOL_SIZE: '20', DB_POOL_ACQUIRE_TIMEOUT: '30s' });
    const profile = testProfile();
    if (profile.kind !== 'server') throw new Error('server profile only');
    pool = createPool({ uri: profile.databaseUrl, connectionLimit: 20 });
  });
  afterAll(async () => {
    await pool.end();
    await testApp.close();
    console.log(['', `reservations on one product, ${WORKERS} callers, ${SECONDS} s each`, ...rows].join('\n'));
  });

  async function stockedProduct(): Promise<string> {
    const api = new ApiClient(testApp);
    const admin = await api.adminSession();
    const sku = `BENCH-${uuidv7().slice(-12)}`;
    const created = await api.call<{ id: string }>('POST', '/api/v1/products', {
      token: admin.accessToken,
      body: { sku, name: sku, price: { amount: 100, currency: 'EUR' } },
    });
    await api.call('POST', `/api/v1/products/${created.body.data.id}/stock-adjustments`, {
      token: admin.accessToken,
      body: { delta: 100_000_000, reason: 'bench' },
    });
    return created.body.data.id;
  }

  it('the contract: row lock in the unit of work, with movement and outbox', async () => {
    const productId = await stockedProduct();
    const reservations = testApp.app.get(StockReservations);
    const result = await drive(() => reservations.reserve(uuidv7(), [{ productId, quantity: 1 }]));
    rows.push(
      `contract (lock)        ${result.rate.toFixed(0).padStart(6)} /s  p50 ${result.p50.toFixed(1)} ms  p99 ${result.p99.toFixed(1)} ms`,
    );
  });

  it('the floor: raw mysql2 conditional update, movement, reservation and one outbox row', async () => {
    const productId = await stockedProduct();
    const result = await drive(async () => {
      const connection = await pool.getConnection();
      try {
        await connection.beginTransaction();
        const orderId = uuidv7();
        const now = new Date();
        const [update] = await connection.execute(
          'UPDATE inventory_stock SET reserved = reserved + 1, version = version + 1, updated_at = ? WHERE product_id = ? AND on_hand - reserved >= 1',
          [now, productId],
        );
        if ((update as { affectedRows: number }).affectedRows !== 1) throw new Error('out of stock');
        await connection.execute(
          'INSERT INTO inventory_movements (id, product_id, kind, on_hand_delta, reserved_delta, on_hand_after, reserved_after, order_id, reason, created_at) VALUES (?, ?, ?, 0, 1, 0, 0, ?, NULL, ?)',
          [uuidv7(), productId, 'reservation', orderId, now],
        );
        await connection.execute(
          'INSERT INTO inventory_reservations (order_id, status, `lines`, shortages, version, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)',
          [orderId, 'reserved', JSON.stringify([{ productId, quantity: 1 }]), '[]', now, now],
        );
        await connection.execute(
          "INSERT INTO outbox_events (id, type, version, aggregate_id, payload, occurred_at, attempts, next_attempt_at) VALUES (?, 'bench.reserved', 1, ?, '{}', ?, 0, ?)",
          [uuidv7(), orderId, now, now],
        );
        await connection.commit();
      } catch (error) {
        await connection.rollback();
        throw error;
      } finally {
        connection.release();
      }
    });
    rows.push(
      `raw conditional update ${result.rate.toFixed(0).padStart(6)} /s  p50 ${result.p50.toFixed(1)} ms  p99 ${result.p99.toFixed(1)} ms`,
    );
  });
});
