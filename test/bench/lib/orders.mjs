/**
 * The order-path scenario of the bench (`--scenario=orders`, SPEC §6 "POST /api/v1/orders end to end … at least
 * 50% of the raw mysql2 place-order transaction ceiling"): the data both sides need, the per-request wrk script
 * (a unique Idempotency-Key per request), and the database readings of the saga (backlog, drain, placed →
 * CONFIRMED latency, statements per order).
 *
 * Choices (docs/PERFORMANCE.md §8):
 *   - N products (default 100) with 1e9 units each, created through the app's API by the bench admin; every request
 *     orders 1 unit of a product picked at random (the same distribution on both sides), so neither side queues on
 *     one hot stock row. `--products=1` is the one-hot-product variant.
 *   - several users (default 8), the requests rotate over their tokens; the rate limiter is set out of the way by
 *     startApp (RATE_LIMIT_PER_MINUTE=1e8), so the users only spread the idempotency scopes and order rows.
 *   - the baseline writes into `raw_*` copies of the app's tables (CREATE TABLE … LIKE), see raw-order-server.mjs.
 */
import { randomBytes } from 'node:crypto';

import mysql from 'mysql2/promise';

import { BenchError, authenticate, loginAdmin, login } from './servers.mjs';
import { request } from './setup.mjs';

/** The app's tables the baseline gets a `raw_` copy of. */
const RAW_TABLES = ['inventory_stock', 'orders', 'order_lines', 'outbox_events'];
/** Units per product: stock never runs out during a run. */
const STOCK_UNITS = 1_000_000_000;
/** Price of every bench product (minor units). */
const PRICE = 1290;

/** A mysql2 connection to the bench database. */
export function connect(databaseUrl) {
  const url = new URL(databaseUrl);
  return mysql.createConnection({
    host: url.hostname,
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password || ''),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')),
    timezone: 'Z',
    dateStrings: false,
  });
}

/** Run `fn` over `items` with at most `limit` at a time. */
async function inBatches(items, limit, fn) {
  const out = [];
  for (let i = 0; i < items.length; i += limit) out.push(...(await Promise.all(items.slice(i, i + limit).map(fn))));
  return out;
}

/**
 * Products with stock (through the app's API, so the catalog cache and inventory are the app's own), extra users,
 * the baseline's `raw_*` tables with the same stock; then one order through the app, followed until CONFIRMED.
 * @returns {Promise<{ productIds: string[], sessions: object[], sample: any, sampleBytes: number,
 *   sagaProbeMs: number, note: string }>}
 */
export async function prepareOrders({ baseUrl, auth, logPath, databaseUrl, db, products, users }) {
  const admin = await loginAdmin(baseUrl, logPath);
  const adminHeaders = { authorization: `Bearer ${admin.accessToken}` };
  const tag = randomBytes(3).toString('hex');
  const productIds = await inBatches(
    Array.from({ length: products }, (_, i) => i),
    8,
    async (i) => {
      const created = await request(baseUrl, 'POST', '/api/v1/products', {
        headers: adminHeaders,
        body: {
          sku: `BENCH-${tag}-${i}`,
          name: `Bench mug ${i}`,
          description: 'A product ordered by the bench',
          price: { amount: PRICE, currency: 'EUR' },
        },
      });
      if (created.status !== 201) {
        throw new BenchError(`POST /api/v1/products → ${created.status}: ${created.text.slice(0, 500)}`, { logPath });
      }
      const id = created.json.data.id;
      const stocked = await request(baseUrl, 'POST', `/api/v1/products/${id}/stock-adjustments`, {
        headers: adminHeaders,
        body: { delta: STOCK_UNITS, reason: 'bench stock' },
      });
      if (stocked.status !== 201) {
        throw new BenchError(`POST …/stock-adjustments → ${stocked.status}: ${stocked.text.slice(0, 500)}`, {
          logPath,
        });
      }
      return id;
    },
  );
  const extra = await inBatches(Array.from({ length: Math.max(0, users - 1) }), 4, () =>
    authenticate(baseUrl, logPath),
  );
  const sessions = [auth, ...extra];

  for (const table of RAW_TABLES) {
    await db.query(`DROP TABLE IF EXISTS \`raw_${table}\``);
    await db.query(`CREATE TABLE \`raw_${table}\` LIKE \`${table}\``);
  }
  await db.query('INSERT INTO raw_inventory_stock SELECT * FROM inventory_stock');

  // one order through the app: 201 PENDING, then CONFIRMED by the saga
  const t0 = performance.now();
  const placed = await placeOne(baseUrl, auth.accessToken, productIds[0]);
  if (placed.status !== 201 || placed.json?.data?.status !== 'PENDING') {
    throw new BenchError(
      `POST /api/v1/orders → ${placed.status} (expected 201 PENDING): ${placed.text.slice(0, 500)}`,
      {
        logPath,
      },
    );
  }
  const orderId = placed.json.data.id;
  let status = 'PENDING';
  while (status === 'PENDING' && performance.now() - t0 < 10_000) {
    await new Promise((r) => setTimeout(r, 20));
    const [rows] = await db.query('SELECT status FROM orders WHERE id = ?', [orderId]);
    status = rows[0]?.status ?? 'missing';
  }
  if (status !== 'CONFIRMED') {
    throw new BenchError(`the probe order ${orderId} is ${status} 10 s after it was placed (expected CONFIRMED)`, {
      logPath,
    });
  }
  return {
    productIds,
    sessions,
    sample: placed.json,
    sampleBytes: placed.bytes,
    sagaProbeMs: performance.now() - t0,
    note:
      `${products} product(s) × ${STOCK_UNITS.toExponential(0)} units, ${sessions.length} users, 1 unit of a random ` +
      `product per order; baseline tables raw_{${RAW_TABLES.join(',')}}; probe order CONFIRMED after ` +
      `${Math.round(performance.now() - t0)} ms`,
    databaseUrl,
  };
}

/** One POST /api/v1/orders with a fresh Idempotency-Key. */
export function placeOne(baseUrl, token, productId) {
  return request(baseUrl, 'POST', '/api/v1/orders', {
    headers: { authorization: `Bearer ${token}`, 'idempotency-key': `bench-probe-${randomBytes(8).toString('hex')}` },
    body: { lines: [{ productId, quantity: 1 }] },
  });
}

/** Log in again every session whose token would expire within `marginMs`. */
export async function refreshSessions(baseUrl, sessions, marginMs) {
  for (const s of sessions) {
    if (Date.now() + marginMs > s.expiresAt) Object.assign(s, await login(baseUrl, s.email, s.password, s.logPath));
  }
}

/**
 * wrk's `request()` for the order path: POST with a JSON body ordering 1 unit of a random product, the tokens in
 * rotation, and an Idempotency-Key unique across the whole run (`<phase prefix>-<thread>-<counter>`; the prefix is
 * new for every wrk invocation, passed as its first script argument).
 */
export function wrkOrderScript({ tokens, productIds }) {
  const list = (values) => `{ ${values.map((v) => `"${v}"`).join(', ')} }`;
  return `
local tokens = ${list(tokens)}
local products = ${list(productIds)}
local prefix = "k"
local counter = 0
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
init = function(args)
  prefix = args[1] or prefix
  math.randomseed(os.time() + (tid or 0) * 7919)
end
request = function()
  counter = counter + 1
  local body = '{"lines":[{"productId":"' .. products[math.random(#products)] .. '","quantity":1}]}'
  return wrk.format("POST", wrk.path, {
    ["Host"] = wrk.host,
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[(counter % #tokens) + 1],
    ["Idempotency-Key"] = prefix .. "-" .. (tid or 0) .. "-" .. counter,
  }, body)
end
`;
}

/** The app's saga backlog: outbox rows not yet delivered, and orders still PENDING (the latter only when asked). */
export async function backlog(db, withPending) {
  const [[{ n: outbox }]] = await db.query('SELECT COUNT(*) AS n FROM outbox_events WHERE delivered_at IS NULL');
  if (!withPending) return { outbox: Number(outbox), pending: null };
  const [[{ n: pending }]] = await db.query("SELECT COUNT(*) AS n FROM orders WHERE status = 'PENDING'");
  return { outbox: Number(outbox), pending: Number(pending) };
}

/**
 * Wait until the outbox backlog is 0 and no order is PENDING; returns the milliseconds since `sinceMs`
 * (performance.now() when the load stopped), or null after `timeoutMs`.
 */
export async function waitForDrain(db, sinceMs, timeoutMs = 120_000) {
  for (;;) {
    const { outbox } = await backlog(db, false);
    if (outbox === 0) {
      const again = await backlog(db, true);
      if (again.outbox === 0 && again.pending === 0) return performance.now() - sinceMs;
    }
    if (performance.now() - sinceMs > timeoutMs) return null;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * placed → CONFIRMED latency (ms) of the app's orders created within the given windows (epoch ms), from the
 * database: `updated_at − created_at` of the CONFIRMED orders (the confirmation is their last change), and the
 * status counts of all orders placed in those windows.
 */
export async function sagaLatency(db, windows) {
  const latencies = [];
  /** @type {Record<string, number>} */
  const statuses = {};
  for (const { from, to } of windows) {
    const [rows] = await db.query(
      'SELECT status, TIMESTAMPDIFF(MICROSECOND, created_at, updated_at) AS us FROM orders ' +
        'WHERE created_at >= ? AND created_at < ?',
      [new Date(from), new Date(to)],
    );
    for (const row of rows) {
      statuses[row.status] = (statuses[row.status] ?? 0) + 1;
      if (row.status === 'CONFIRMED') latencies.push(Number(row.us) / 1000);
    }
  }
  latencies.sort((a, b) => a - b);
  const pct = (p) =>
    latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] : null;
  return {
    orders: Object.values(statuses).reduce((a, b) => a + b, 0),
    confirmed: latencies.length,
    statuses,
    p50: pct(0.5),
    p90: pct(0.9),
    p99: pct(0.99),
    max: latencies.length ? latencies[latencies.length - 1] : null,
  };
}

/** MariaDB's global counters read per phase (machine-wide: other databases' traffic counts too). */
const STATUS_NAMES = [
  'Questions',
  'Com_begin',
  'Com_select',
  'Com_insert',
  'Com_update',
  'Com_delete',
  'Com_commit',
  'Com_rollback',
  'Innodb_data_fsyncs',
  'Handler_read_key',
  'Handler_read_next',
  'Handler_read_rnd_next',
];

/** A snapshot of STATUS_NAMES. */
export async function dbCounters(db) {
  const [rows] = await db.query(
    `SHOW GLOBAL STATUS WHERE Variable_name IN (${STATUS_NAMES.map(() => '?').join(', ')})`,
    STATUS_NAMES,
  );
  return Object.fromEntries(rows.map((r) => [r.Variable_name, Number(r.Value)]));
}

/** Per-request differences of two dbCounters snapshots. */
export function perRequest(before, after, requests) {
  if (!requests) return null;
  return Object.fromEntries(STATUS_NAMES.map((n) => [n, ((after[n] ?? 0) - (before[n] ?? 0)) / requests]));
}
