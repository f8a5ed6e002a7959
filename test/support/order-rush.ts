import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { expect } from 'vitest';

/**
 * The order rush of issue #15 §5 (SPEC §3 "Never oversells"): many customers placing orders for one scarce product
 * at once, through any transport (in-process inject or real HTTP to service processes), and what the database
 * holds afterwards for exactly those customers — the server-profile database is shared by every e2e file in CI, so
 * nothing here counts rows globally.
 */

/** mulberry32: a tiny seeded generator, so a failing rush can be replayed with the very same quantities. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface RushOrder {
  /** Position in the rush (0-based), also what decides which instance receives it. */
  readonly index: number;
  readonly customer: number;
  readonly key: string;
  readonly quantity: number;
}

/** `perCustomer` orders for each of `customers`, interleaved (customer 0, 1, …, 0, 1, …), each with its own key. */
export function rushPlan(customers: number, perCustomer: number, quantity: (index: number) => number): RushOrder[] {
  return Array.from({ length: customers * perCustomer }, (_, index) => ({
    index,
    customer: index % customers,
    key: uuidv7(),
    quantity: quantity(index),
  }));
}

/** One attempt's answer; status 0 when none arrived (connection refused or reset). */
export interface PlaceAnswer {
  readonly status: number;
  readonly code?: number;
  readonly data?: { id: string; status: string; userId: string };
  readonly replayed: boolean;
  readonly error?: string;
}

export interface RushResult {
  readonly order: RushOrder;
  readonly answer: PlaceAnswer;
  /** Attempts after the first one (same key, same body). */
  readonly retries: number;
  readonly replayedAfterRetry: boolean;
}

/**
 * Sends the order until it gets a final answer, as a careful client would: no answer at all (the instance died
 * mid-request) and 503 (pool exhausted, shutting down — SPEC §4 says retry) are sent again with the SAME key and
 * body, so a retry can never place a second order. `send(order, attempt)` picks the instance for each attempt.
 */
export async function placeWithRetries(
  order: RushOrder,
  send: (order: RushOrder, attempt: number) => Promise<PlaceAnswer>,
  giveUpAfterMs = 60_000,
): Promise<RushResult> {
  const deadline = Date.now() + giveUpAfterMs;
  for (let attempt = 0; ; attempt++) {
    const answer = await send(order, attempt);
    const retryable = answer.status === 0 || answer.status === 503;
    if (!retryable || Date.now() > deadline) {
      return { order, answer, retries: attempt, replayedAfterRetry: attempt > 0 && answer.replayed };
    }
    // A short, growing pause between attempts (client back-off), not a wait for state.
    await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 50 * 2 ** attempt)));
  }
}

/** `POST /api/v1/orders` over real HTTP. */
export async function postOrder(
  base: string,
  token: string,
  productId: string,
  order: RushOrder,
  timeoutMs = 30_000,
  couponCode?: string,
): Promise<PlaceAnswer> {
  try {
    const response = await fetch(`${base}/api/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': order.key },
      body: JSON.stringify({ lines: [{ productId, quantity: order.quantity }], couponCode }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json().catch(() => ({}))) as { code?: number; data?: PlaceAnswer['data'] };
    return {
      status: response.status,
      code: body.code,
      data: response.ok ? body.data : undefined,
      replayed: response.headers.get('idempotent-replayed') === 'true',
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { status: 0, replayed: false, error: cause ?? (error as Error).name };
  }
}

/** Registers a customer over HTTP and logs in; answers the user id and access token. */
export async function httpCustomer(base: string, label: string): Promise<{ userId: string; token: string }> {
  const email = `${label}-${uuidv7()}@it.example.com`;
  const password = 'password-1234';
  const json = { 'content-type': 'application/json' };
  const registered = await fetch(`${base}/api/v1/auth/register`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ email, password, displayName: 'Rush Customer' }),
  });
  if (registered.status !== 201) throw new Error(`register failed: ${registered.status} ${await registered.text()}`);
  const userId = ((await registered.json()) as { data: { id: string } }).data.id;
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ email, password }),
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  return { userId, token: ((await login.json()) as { data: { accessToken: string } }).data.accessToken };
}

export interface OrderRow {
  readonly id: string;
  readonly userId: string;
  readonly status: string;
  readonly reason: string | null;
  readonly version: number;
  /** The order's lines, in line order. */
  readonly lines: { productId: string; quantity: number }[];
}

/** What the database holds for the rush's customers and its product. */
export interface RushSnapshot {
  readonly orders: Map<string, OrderRow>;
  readonly summaries: Map<string, { status: string; version: number; viewStatus: string; viewVersion: number }>;
  readonly reservations: Map<string, { status: string; lines: { productId: string; quantity: number }[] }>;
  readonly stock: { onHand: number; reserved: number };
  /** Outbox rows of these orders (the orders' own events and inventory's answers: both keyed by the order id). */
  readonly undeliveredEvents: number;
  readonly deadLetters: number;
}

/** How many of the customers' orders are still PENDING (the cheap query to poll on). */
export async function pendingCount(dataSource: DataSource, userIds: readonly string[]): Promise<number> {
  const rows = await dataSource.query<{ n: string | number }[]>(
    `SELECT COUNT(*) AS n FROM orders WHERE user_id IN (${marks(userIds)}) AND status = 'PENDING'`,
    [...userIds],
  );
  return Number(rows[0].n);
}

/** Outbox rows of these orders not yet delivered to every handler. */
export async function undeliveredCount(dataSource: DataSource, orderIds: readonly string[]): Promise<number> {
  if (orderIds.length === 0) return 0;
  const rows = await dataSource.query<{ n: string | number }[]>(
    `SELECT COUNT(*) AS n FROM outbox_events WHERE aggregate_id IN (${marks(orderIds)}) AND delivered_at IS NULL`,
    [...orderIds],
  );
  return Number(rows[0].n);
}

export async function rushSnapshot(
  dataSource: DataSource,
  userIds: readonly string[],
  productId: string,
): Promise<RushSnapshot> {
  const orderRows = await dataSource.query<
    { id: string; user_id: string; status: string; reason: string | null; version: number }[]
  >(`SELECT id, user_id, status, reason, version FROM orders WHERE user_id IN (${marks(userIds)})`, [...userIds]);
  const ids = orderRows.map((row) => row.id);
  const orders = new Map<string, OrderRow>(
    orderRows.map((row) => [
      row.id,
      {
        id: row.id,
        userId: row.user_id,
        status: row.status,
        reason: row.reason,
        version: Number(row.version),
        lines: [],
      },
    ]),
  );
  const summaries: RushSnapshot['summaries'] = new Map();
  const reservations: RushSnapshot['reservations'] = new Map();
  let undeliveredEvents = 0;
  let deadLetters = 0;
  if (ids.length > 0) {
    const lines = await dataSource.query<{ order_id: string; product_id: string; quantity: number }[]>(
      `SELECT order_id, product_id, quantity FROM order_lines WHERE order_id IN (${marks(ids)}) ORDER BY order_id, line_no`,
      ids,
    );
    for (const line of lines) {
      orders.get(line.order_id)?.lines.push({ productId: line.product_id, quantity: Number(line.quantity) });
    }
    const summaryRows = await dataSource.query<{ id: string; status: string; version: number; view: string }[]>(
      `SELECT id, status, version, view FROM order_summaries WHERE id IN (${marks(ids)})`,
      ids,
    );
    for (const row of summaryRows) {
      const view = JSON.parse(row.view) as { status: string; version: number };
      summaries.set(row.id, {
        status: row.status,
        version: Number(row.version),
        viewStatus: view.status,
        viewVersion: view.version,
      });
    }
    const reservationRows = await dataSource.query<{ order_id: string; status: string; lines: string }[]>(
      `SELECT order_id, status, \`lines\` FROM inventory_reservations WHERE order_id IN (${marks(ids)})`,
      ids,
    );
    for (const row of reservationRows) {
      const parsed = JSON.parse(row.lines) as { productId: string; quantity: number }[];
      reservations.set(row.order_id, {
        status: row.status,
        lines: parsed.map((line) => ({ productId: line.productId, quantity: line.quantity })),
      });
    }
    undeliveredEvents = await undeliveredCount(dataSource, ids);
    const dead = await dataSource.query<{ n: string | number }[]>(
      `SELECT COUNT(*) AS n FROM outbox_dead_letters d JOIN outbox_events e ON e.id = d.event_id
        WHERE e.aggregate_id IN (${marks(ids)})`,
      ids,
    );
    deadLetters = Number(dead[0].n);
  }
  const stockRows = await dataSource.query<{ on_hand: number; reserved: number }[]>(
    'SELECT on_hand, reserved FROM inventory_stock WHERE product_id = ?',
    [productId],
  );
  const stock = { onHand: Number(stockRows[0]?.on_hand ?? 0), reserved: Number(stockRows[0]?.reserved ?? 0) };
  return { orders, summaries, reservations, stock, undeliveredEvents, deadLetters };
}

function marks(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

export interface RushFigures {
  readonly orders: number;
  readonly confirmed: number;
  readonly rejected: Record<string, number>;
  readonly reserved: number;
  readonly available: number;
  readonly retries: number;
  readonly replayedAfterRetry: number;
}

/**
 * The invariants every rush must leave behind, whatever went wrong during it:
 * - every request was answered 201 once, and the answered ids are exactly the customers' orders in the database
 *   (a retried request never placed a second order, no answered order is lost);
 * - every order is final: CONFIRMED, or REJECTED for a reason in `rejectReasons`, with exactly its planned line;
 * - the read model agrees with the orders (status and version, row and stored view);
 * - inventory agrees with ordering: a `reserved` reservation for each CONFIRMED order (same lines) and for no other,
 *   `rejected` for each out-of-stock order; the stock row's `reserved` is the sum of the confirmed quantities, never
 *   above `onHand`, and `onHand` is untouched;
 * - `stockNeverGrew` (no release ran during the rush): each rejected order asked for more than is left now — it saw
 *   less than it needed, and the available stock only went down since;
 * - the outbox delivered every event of these orders, none dead-lettered.
 */
export function expectRushConsistent(
  snapshot: RushSnapshot,
  results: readonly RushResult[],
  options: { productId: string; onHand: number; rejectReasons: readonly string[]; stockNeverGrew: boolean },
): RushFigures {
  const failed = results.filter((result) => result.answer.status !== 201);
  expect(failed.map((result) => ({ index: result.order.index, ...result.answer }))).toEqual([]);
  const quantityOf = new Map(results.map((result) => [result.answer.data?.id ?? '', result.order.quantity]));
  expect(quantityOf.size, 'one distinct order per request').toBe(results.length);
  expect([...snapshot.orders.keys()].sort()).toEqual([...quantityOf.keys()].sort());

  let confirmedQuantity = 0;
  const rejected: Record<string, number> = {};
  const problems: string[] = [];
  for (const order of snapshot.orders.values()) {
    const quantity = quantityOf.get(order.id) ?? -1;
    if (JSON.stringify(order.lines) !== JSON.stringify([{ productId: options.productId, quantity }])) {
      problems.push(`${order.id}: lines ${JSON.stringify(order.lines)}, planned ${quantity}`);
    }
    const summary = snapshot.summaries.get(order.id);
    if (
      summary === undefined ||
      summary.status !== order.status ||
      summary.viewStatus !== order.status ||
      summary.version !== order.version ||
      summary.viewVersion !== order.version
    ) {
      problems.push(`${order.id}: ${order.status} v${order.version} but read model ${JSON.stringify(summary)}`);
    }
    const reservation = snapshot.reservations.get(order.id);
    if (order.status === 'CONFIRMED') {
      confirmedQuantity += quantity;
      if (reservation?.status !== 'reserved' || JSON.stringify(reservation.lines) !== JSON.stringify(order.lines)) {
        problems.push(`${order.id}: CONFIRMED but reservation ${JSON.stringify(reservation)}`);
      }
    } else if (order.status === 'REJECTED' && options.rejectReasons.includes(order.reason ?? '')) {
      const reason = order.reason ?? '';
      rejected[reason] = (rejected[reason] ?? 0) + 1;
      // Out of stock: inventory refused it. Timed out: inventory may have reserved it later, then released it.
      const allowed = reason === 'out_of_stock' ? ['rejected'] : ['rejected', 'released'];
      if (reservation === undefined || !allowed.includes(reservation.status)) {
        problems.push(`${order.id}: REJECTED (${reason}) but reservation ${JSON.stringify(reservation)}`);
      }
    } else {
      problems.push(`${order.id}: ended ${order.status} (${order.reason})`);
    }
  }
  expect(problems).toEqual([]);

  const available = snapshot.stock.onHand - snapshot.stock.reserved;
  expect(snapshot.stock.onHand).toBe(options.onHand);
  expect(snapshot.stock.reserved).toBe(confirmedQuantity);
  expect(snapshot.stock.reserved).toBeLessThanOrEqual(options.onHand);
  if (options.stockNeverGrew) {
    const fitting = [...snapshot.orders.values()].filter(
      (order) => order.status === 'REJECTED' && (quantityOf.get(order.id) ?? 0) <= available,
    );
    expect(
      fitting.map((order) => order.id),
      `rejected though ${available} left`,
    ).toEqual([]);
  }
  expect(snapshot.undeliveredEvents).toBe(0);
  expect(snapshot.deadLetters).toBe(0);

  const confirmed = [...snapshot.orders.values()].filter((order) => order.status === 'CONFIRMED').length;
  return {
    orders: snapshot.orders.size,
    confirmed,
    rejected,
    reserved: snapshot.stock.reserved,
    available,
    retries: results.reduce((sum, result) => sum + result.retries, 0),
    replayedAfterRetry: results.filter((result) => result.replayedAfterRetry).length,
  };
}

/** A coupon's counters and its redemption rows (by order id). */
export interface CouponSnapshot {
  redemptions: number;
  pending: number;
  byStatus: Record<string, number>;
  heldBy: Map<string, string>;
}

export async function couponSnapshot(dataSource: DataSource, couponId: string): Promise<CouponSnapshot> {
  const [row] = await dataSource.query<{ redemptions: number; pending: number }[]>(
    'SELECT redemptions, pending_redemptions AS pending FROM coupons WHERE id = ?',
    [couponId],
  );
  const redemptions = await dataSource.query<{ order_id: string; status: string }[]>(
    'SELECT order_id, status FROM coupon_redemptions WHERE coupon_id = ?',
    [couponId],
  );
  const byStatus: Record<string, number> = {};
  for (const redemption of redemptions) byStatus[redemption.status] = (byStatus[redemption.status] ?? 0) + 1;
  return {
    redemptions: Number(row.redemptions),
    pending: Number(row.pending),
    byStatus,
    heldBy: new Map(redemptions.map((redemption) => [redemption.order_id, redemption.status])),
  };
}

export interface CouponRushFigures {
  placed: number;
  confirmed: number;
  rejected: Record<string, number>;
  redemptionRows: Record<string, number>;
  stockReservations: Record<string, number>;
}

/**
 * What every rush with a coupon must leave behind, whatever the limits and whatever went wrong during it:
 * - the answered ids are exactly the orders in the database (no duplicate from retries, none lost);
 * - every order is final: CONFIRMED holding a `redeemed` redemption and `reserved` stock, or REJECTED for a reason in
 *   `reasons` holding neither (its redemption refused or released, its stock refused or released: compensated);
 * - the read model agrees with the orders; every event delivered, none dead-lettered;
 * - the coupon's `redemptions` equals the confirmed orders, nothing pending, and its rows say the same.
 */
export function expectCouponRushConsistent(
  snapshot: RushSnapshot,
  coupon: CouponSnapshot,
  answeredIds: readonly string[],
  reasons: readonly string[],
): CouponRushFigures {
  expect(new Set(answeredIds).size, 'one distinct order per 201').toBe(answeredIds.length);
  expect([...snapshot.orders.keys()].sort()).toEqual([...answeredIds].sort());
  const problems: string[] = [];
  const rejected: Record<string, number> = {};
  let confirmed = 0;
  for (const order of snapshot.orders.values()) {
    const redemption = coupon.heldBy.get(order.id);
    const reservation = snapshot.reservations.get(order.id)?.status;
    const summary = snapshot.summaries.get(order.id);
    if (summary?.status !== order.status || summary.version !== order.version) {
      problems.push(`${order.id}: ${order.status} v${order.version}, read model ${JSON.stringify(summary)}`);
    }
    if (order.status === 'CONFIRMED') {
      confirmed += 1;
      if (redemption !== 'redeemed' || reservation !== 'reserved') {
        problems.push(`${order.id}: CONFIRMED with redemption ${redemption}, stock ${reservation}`);
      }
    } else if (order.status === 'REJECTED' && reasons.includes(order.reason ?? '')) {
      rejected[order.reason ?? ''] = (rejected[order.reason ?? ''] ?? 0) + 1;
      if (
        !['refused', 'released'].includes(redemption ?? '') ||
        !['rejected', 'released'].includes(reservation ?? '')
      ) {
        problems.push(
          `${order.id}: REJECTED (${order.reason}) still holding: redemption ${redemption}, stock ${reservation}`,
        );
      }
    } else {
      problems.push(`${order.id}: ended ${order.status} (${order.reason})`);
    }
  }
  expect(problems).toEqual([]);
  expect(snapshot.undeliveredEvents).toBe(0);
  expect(snapshot.deadLetters).toBe(0);
  // The coupon's counters are what its redemption rows say: `redemptions` = confirmed orders holding it.
  expect(coupon.redemptions).toBe(confirmed);
  expect(coupon.pending).toBe(0);
  expect(coupon.byStatus.redeemed ?? 0).toBe(confirmed);
  expect(coupon.byStatus.reserved ?? 0).toBe(0);
  const stockReservations: Record<string, number> = {};
  for (const { status } of snapshot.reservations.values())
    stockReservations[status] = (stockReservations[status] ?? 0) + 1;
  return { placed: answeredIds.length, confirmed, rejected, redemptionRows: coupon.byStatus, stockReservations };
}
