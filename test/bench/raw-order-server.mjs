#!/usr/bin/env node
/**
 * Baseline for `npm run bench -- --scenario=orders` (SPEC §6: "at least 50% of the raw mysql2 place-order
 * transaction ceiling measured in the same run"): what a careful hand-written service does for
 * `POST /api/v1/orders`, with nothing of the app's platform — no auth check, no idempotency, no read model, no
 * saga, no logging — and one transaction per order on a plain `mysql2/promise` pool:
 *
 *   START TRANSACTION;
 *   UPDATE raw_inventory_stock SET reserved = reserved + ? … WHERE product_id = ? AND on_hand - reserved >= ?
 *     (one per line, in product-id order so that two orders never lock the same rows in opposite orders;
 *     affectedRows 0 → ROLLBACK, 409 out of stock);
 *   INSERT INTO raw_orders …; INSERT INTO raw_order_lines … (all lines in one statement);
 *   INSERT INTO raw_outbox_events … (one `ordering.order_placed` row, payload = the order);
 *   COMMIT;
 *   → 201 with the app's envelope around the order (same shape and roughly the same bytes as the app's answer).
 *
 * The tables: `raw_*` copies of the app's own tables in the bench database (`CREATE TABLE raw_x LIKE x`: the same
 * columns, types, indexes, CHECK constraints and engine — the app's migrations created the originals). Copies,
 * not the originals, because the app's outbox relay polls `outbox_events` and would deliver the baseline's events
 * (work in the idle app during the baseline's phases, and foreign orders in the saga figures).
 *
 * It validates the body minimally, as a hand-written handler would: `lines` a non-empty array (≤ 100) of
 * `{productId: known product, quantity: integer 1–10000}`, each product once → else 400. The prices come from a
 * map loaded at start (the app's price lookup is a cache hit too). The user id is read from the bearer token's
 * payload without checking its signature (the baseline does not pay for auth, like the bare GET handler).
 * Ids are UUID v7 like the app's (time-ordered primary keys append to the index; random v4 keys would slow the
 * baseline down).
 *
 * Usage: node test/bench/raw-order-server.mjs --database-url=mysql://… [--pool-size=N] [--port=N]
 *   [--exit-on-stdin-close]
 * Prints `RAW_READY {"port":N,"pid":N,"fastify":"x.y.z","products":N,"poolSize":N}` when listening.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

import mysql from 'mysql2/promise';
import { v7 as uuidv7 } from 'uuid';

const MAX_LINES = 100;
const MAX_QUANTITY = 10_000;

/** The same copy of Fastify the app runs on (see bare-fastify-server.mjs). */
async function loadFastify() {
  const require = createRequire(import.meta.url);
  let entry;
  try {
    entry = require.resolve('fastify');
  } catch {
    entry = createRequire(require.resolve('@nestjs/platform-fastify')).resolve('fastify');
  }
  const mod = await import(pathToFileURL(entry).href);
  return { fastify: mod.default ?? mod, version: createRequire(entry)('fastify/package.json').version };
}

const args = process.argv.slice(2);
const arg = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const databaseUrl = arg('database-url');
const poolSize = Number(arg('pool-size') ?? 10);
const port = Number(arg('port') ?? 0);
if (!databaseUrl || !Number.isInteger(poolSize) || poolSize < 1 || !Number.isInteger(port)) {
  console.error('raw-order-server: --database-url=mysql://… is required; --pool-size and --port are integers');
  process.exit(2);
}

const url = new URL(databaseUrl);
const pool = mysql.createPool({
  host: url.hostname,
  port: url.port ? Number(url.port) : 3306,
  user: decodeURIComponent(url.username || 'root'),
  password: decodeURIComponent(url.password || ''),
  database: decodeURIComponent(url.pathname.replace(/^\//, '')),
  connectionLimit: poolSize,
  timezone: 'Z',
  charset: 'utf8mb4',
});

/** productId → { amount, currency } of the active products, as the catalog has them now. */
const prices = new Map();
const [rows] = await pool.query(
  "SELECT id, price_amount, price_currency FROM catalog_products WHERE status = 'active'",
);
for (const row of rows) prices.set(row.id, { amount: Number(row.price_amount), currency: row.price_currency });

/** The user id (`sub`) of a bearer token, read without verifying it; null when there is none. */
function userIdOf(authorization) {
  if (typeof authorization !== 'string' || !authorization.startsWith('Bearer ')) return null;
  const payload = authorization.split('.')[1];
  if (!payload) return null;
  try {
    const sub = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).sub;
    return typeof sub === 'string' ? sub : null;
  } catch {
    return null;
  }
}

/** The body's lines, validated; or a message for the 400. */
function validLines(body) {
  const lines = body?.lines;
  if (!Array.isArray(lines) || lines.length < 1 || lines.length > MAX_LINES) return 'lines: 1–100 lines';
  const seen = new Set();
  for (const line of lines) {
    if (typeof line !== 'object' || line === null) return 'lines: objects';
    const { productId, quantity } = line;
    if (typeof productId !== 'string' || !prices.has(productId.toLowerCase())) return 'productId: unknown';
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) return 'quantity: 1–10000';
    if (seen.has(productId.toLowerCase())) return 'productId: each product once';
    seen.add(productId.toLowerCase());
  }
  return lines.map((l) => ({ productId: l.productId.toLowerCase(), quantity: l.quantity }));
}

class OutOfStock extends Error {}

/** The place-order transaction; returns the order as answered. */
async function placeOrder(userId, lines) {
  const now = new Date();
  const iso = now.toISOString();
  const id = uuidv7();
  const currency = prices.get(lines[0].productId).currency;
  const viewLines = lines.map((l) => {
    const unitPrice = prices.get(l.productId);
    return {
      productId: l.productId,
      quantity: l.quantity,
      unitPrice,
      lineTotal: { amount: unitPrice.amount * l.quantity, currency },
    };
  });
  const subtotal = viewLines.reduce((sum, l) => sum + l.lineTotal.amount, 0);
  const order = {
    id,
    userId,
    status: 'PENDING',
    lines: viewLines,
    subtotal: { amount: subtotal, currency },
    discount: { amount: 0, currency },
    total: { amount: subtotal, currency },
    createdAt: iso,
    updatedAt: iso,
    version: 1,
  };
  const deadline = new Date(now.getTime() + 60_000);
  const conn = await pool.getConnection();
  try {
    await conn.query('START TRANSACTION');
    try {
      for (const l of [...lines].sort((a, b) => (a.productId < b.productId ? -1 : 1))) {
        const [res] = await conn.query(
          'UPDATE raw_inventory_stock SET reserved = reserved + ?, version = version + 1, updated_at = ? ' +
            'WHERE product_id = ? AND on_hand - reserved >= ?',
          [l.quantity, now, l.productId, l.quantity],
        );
        if (res.affectedRows !== 1) throw new OutOfStock(l.productId);
      }
      await conn.query(
        'INSERT INTO raw_orders (id, user_id, status, currency, subtotal, discount, coupon_code, reason, ' +
          'deadline_at, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, NULL, NULL, ?, 1, ?, ?)',
        [id, userId, 'PENDING', currency, subtotal, deadline, now, now],
      );
      await conn.query('INSERT INTO raw_order_lines (order_id, line_no, product_id, quantity, unit_price) VALUES ?', [
        viewLines.map((l, i) => [id, i + 1, l.productId, l.quantity, l.unitPrice.amount]),
      ]);
      await conn.query(
        'INSERT INTO raw_outbox_events (id, type, version, aggregate_id, payload, occurred_at, attempts, ' +
          'next_attempt_at, published_at) VALUES (?, ?, 1, ?, ?, ?, 0, ?, ?)',
        [uuidv7(), 'ordering.order_placed', id, JSON.stringify(order), now, now, now],
      );
      await conn.query('COMMIT');
    } catch (err) {
      await conn.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } finally {
    conn.release();
  }
  return order;
}

const { fastify, version } = await loadFastify();
const app = fastify({ logger: false });

app.post('/api/v1/orders', async (request, reply) => {
  const userId = userIdOf(request.headers.authorization);
  if (userId === null) return reply.code(401).send({ code: 40100, message: 'Unauthorized', traceId: null });
  const lines = validLines(request.body);
  if (typeof lines === 'string') return reply.code(400).send({ code: 40000, message: lines, traceId: null });
  try {
    const order = await placeOrder(userId, lines);
    return reply.code(201).send({ code: 0, message: 'OK', data: order, traceId: request.id });
  } catch (err) {
    if (err instanceof OutOfStock) return reply.code(409).send({ code: 40900, message: 'out of stock' });
    throw err;
  }
});

let closing = false;
async function shutdown(code) {
  if (closing) return;
  closing = true;
  try {
    await app.close();
    await pool.end();
  } finally {
    process.exit(code);
  }
}
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGINT', () => void shutdown(0));
if (args.includes('--exit-on-stdin-close')) {
  process.stdin.on('end', () => void shutdown(0));
  process.stdin.on('error', () => void shutdown(0));
  process.stdin.resume();
}

await app.listen({ host: '127.0.0.1', port });
const address = app.server.address();
const listeningPort = typeof address === 'object' && address ? address.port : port;
process.stdout.write(
  `RAW_READY ${JSON.stringify({ port: listeningPort, pid: process.pid, fastify: version, products: prices.size, poolSize })}\n`,
);
