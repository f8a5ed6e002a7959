import { connect as amqpConnect, type ChannelModel } from 'amqplib';
import { Redis } from 'ioredis';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { v7 as uuidv7 } from 'uuid';
import { ReadinessProbe } from '../support/readiness-probe.js';
import { compiledServiceMain, startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { brokerReachable, TEST_BROKER_URL } from '../support/test-broker.js';
import { describeProfile, testProfile } from '../support/test-profile.js';
import { waitFor } from '../support/wait-for.js';
import { sleep, tally, WriteLoad, type LoadOutcome } from '../support/write-load.js';

/**
 * Issue #17 item 3, SPEC §4 "Timeouts and overload" / "Health": the compiled service, as a process, with its
 * database, Redis and broker each behind a TCP proxy the test severs for a few seconds while a steady write load
 * runs (a few admin clients creating products and adjusting one product's stock). Each outage must degrade as
 * documented — fast 503s and readiness 503 for the database; nothing but a `down` in readiness for Redis and the
 * broker — the service must recover by itself, and every write answered 2xx must be in the database (and its
 * event on the broker) afterwards. Figures are printed with console.info.
 */
const profile = testProfile();
const OUTAGE_MS = 2_500;
const CLIENTS = 4;
const PAUSE_MS = 30;
/** The deadlines the service runs with here (small, so an outage shows within the test's few seconds). */
const POOL_ACQUIRE_TIMEOUT_MS = 1_000;
const QUERY_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 4_000;
/** Slack for a loaded 2-core CI machine on top of the service's own bounds. */
const MARGIN_MS = 1_500;

const PASSWORD = 'fault-admin-password-1';

function proxiedUrl(url: string | URL, port: number): string {
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(port);
  return proxied.toString();
}

function targetOf(url: string | URL, defaultPort: number): [string, number] {
  const parsed = new URL(url);
  return [parsed.hostname, Number(parsed.port || defaultPort)];
}

const is2xx = (outcome: LoadOutcome) => outcome.status >= 200 && outcome.status < 300;

describe.skipIf(profile.kind !== 'server')(describeProfile('fault tolerance under a write load'), () => {
  if (profile.kind !== 'server') return;
  const runId = uuidv7().slice(-12).toUpperCase();
  const exchange = `orderly.fault.${runId.toLowerCase()}`;
  const adminEmail = `fault-admin-${runId.toLowerCase()}@it.example.com`;
  const database = new TcpProxy(...targetOf(profile.databaseUrl, 3306));
  const redis = profile.redisUrl === undefined ? undefined : new TcpProxy(...targetOf(profile.redisUrl, 6379));
  const broker = new TcpProxy(...targetOf(TEST_BROKER_URL, 5672));
  let service: ServiceProcess | undefined;
  let probe: ReadinessProbe;
  let load: WriteLoad;
  let db: Connection;
  let redisClient: Redis | undefined;
  let consumer: ChannelModel;
  const published = new Map<string, { id: string; productId: string }>();
  let stockProductId: string;
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    await brokerReachable(); // REQUIRE_BROKER=1 (CI) turns a missing RabbitMQ into a failure here
    const main = await compiledServiceMain();
    await Promise.all([database.start(), redis?.start(), broker.start()]);

    consumer = await amqpConnect(TEST_BROKER_URL.toString());
    const channel = await consumer.createChannel();
    await channel.assertExchange(exchange, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, exchange, 'catalog.product_created');
    await channel.consume(
      queue,
      (message) => {
        if (message === null) return;
        const body = JSON.parse(message.content.toString()) as {
          id: string;
          payload: { sku: string; productId: string };
        };
        published.set(body.payload.sku, { id: body.id, productId: body.payload.productId });
      },
      { noAck: true },
    );

    db = await createConnection(profile.databaseUrl);
    if (profile.redisUrl !== undefined) redisClient = new Redis(profile.redisUrl, { lazyConnect: false });

    service = await startServiceProcess(main, {
      DATABASE_URL: proxiedUrl(profile.databaseUrl, database.port),
      MIGRATIONS_RUN: 'true',
      ...(redis !== undefined && profile.redisUrl !== undefined
        ? { REDIS_URL: proxiedUrl(profile.redisUrl, redis.port) }
        : {}),
      BROKER_URL: proxiedUrl(TEST_BROKER_URL, broker.port),
      BROKER_EXCHANGE: exchange,
      JWT_SECRET: 'fault-tolerance-secret-that-is-at-least-32-bytes',
      ADMIN_EMAIL: adminEmail,
      ADMIN_PASSWORD: PASSWORD,
      DEMO_DATA: 'false',
      DOCS_ENABLED: 'false',
      LOG_LEVEL: 'warn',
      DB_POOL_SIZE: '4',
      DB_POOL_ACQUIRE_TIMEOUT: `${POOL_ACQUIRE_TIMEOUT_MS}ms`,
      DB_QUERY_TIMEOUT: `${QUERY_TIMEOUT_MS}ms`,
      REQUEST_TIMEOUT: `${REQUEST_TIMEOUT_MS}ms`,
      OUTBOX_POLL_INTERVAL: '200ms',
      RATE_LIMIT_FAIL_MODE: 'open',
      RATE_LIMIT_PER_MINUTE: '100000',
    });
    const base = service.base;

    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: adminEmail, password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const token = ((await login.json()) as { data: { accessToken: string } }).data.accessToken;
    const headers = { authorization: `Bearer ${token}` };

    const created = await fetch(`${base}/api/v1/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({
        sku: `FT-${runId}-STOCK`,
        name: 'Fault test stock',
        price: { amount: 100, currency: 'EUR' },
      }),
    });
    expect(created.status).toBe(201);
    stockProductId = ((await created.json()) as { data: { id: string } }).data.id;

    // Half the requests create a product (a row and an event), half add one unit to the same stock row (row lock
    // contention, a movement row whose reason identifies the request).
    load = new WriteLoad({
      clients: CLIENTS,
      pauseMs: PAUSE_MS,
      clientTimeoutMs: REQUEST_TIMEOUT_MS + 5_000,
      next: (n) => {
        const key = `FT-${runId}-${n}`;
        return n % 2 === 0
          ? {
              key: `product:${key}`,
              request: {
                url: `${base}/api/v1/products`,
                headers,
                body: { sku: key, name: `Fault test ${n}`, price: { amount: 100 + n, currency: 'EUR' } },
              },
            }
          : {
              key: `stock:${key}`,
              request: {
                url: `${base}/api/v1/products/${stockProductId}/stock-adjustments`,
                headers,
                body: { delta: 1, reason: key },
              },
            };
      },
    }).start();
    probe = new ReadinessProbe(base, 100).start();
    await sleep(1_000);
  }, 120_000);

  afterAll(async () => {
    await load?.stop();
    await probe?.stop();
    if (service !== undefined && service.child.exitCode === null) {
      service.child.kill('SIGTERM');
      const exited = await Promise.race([service.exited, sleep(10_000).then(() => undefined)]);
      if (exited === undefined) service.child.kill('SIGKILL');
    }
    if (consumer !== undefined) {
      await (await consumer.createChannel()).deleteExchange(exchange).catch(() => undefined);
      await consumer.close();
    }
    await db?.end();
    redisClient?.disconnect();
    await Promise.all([database.stop(), redis?.stop(), broker.stop()]);
  });

  /** Runs `outage` with the proxy severed for OUTAGE_MS; answers when it was severed and restored. */
  async function sever(proxy: TcpProxy): Promise<{ severedAt: number; restoredAt: number; logsAtSever: number }> {
    const logsAtSever = service?.output().length ?? 0;
    const severedAt = Date.now();
    await proxy.sever();
    await sleep(OUTAGE_MS);
    // Taken before the proxy listens again: a request sent after this may already reach the dependency.
    const restoredAt = Date.now();
    await proxy.restore();
    return { severedAt, restoredAt, logsAtSever };
  }

  /** Time from `restoredAt` until a write sent after it is answered 2xx. */
  async function firstWriteAfter(restoredAt: number, timeoutMs = 15_000): Promise<number> {
    const first = await waitFor(
      () => load.startedBetween(restoredAt).find(is2xx),
      (found) => found !== undefined,
      timeoutMs,
    );
    return (first?.endedAt ?? Number.NaN) - restoredAt;
  }

  it('database: fast 503 50300 while down, readiness 503, the relays back off, recovery without a restart', async () => {
    const { severedAt, restoredAt, logsAtSever } = await sever(database);
    const logsWhileDown = service?.output().slice(logsAtSever) ?? '';
    const readyAgain = await waitFor(
      () => probe.sample(),
      (sample) => sample.status === 200,
      15_000,
    );
    const recoveryMs = await firstWriteAfter(restoredAt);

    const duringOutage = load.startedBetween(severedAt, restoredAt);
    const firstDown = probe.between(severedAt).find((sample) => sample.status === 503);
    const relayLines = logsWhileDown.split('\n').filter((line) => /"context":"(OutboxRelay|BrokerRelay)"/.test(line));
    figures.database = {
      outageMs: restoredAt - severedAt,
      writesDuringOutage: tally(duringOutage),
      slowest503Ms: Math.max(...duringOutage.map((outcome) => outcome.endedAt - outcome.startedAt)),
      readinessDownAfterMs: (firstDown?.at ?? Number.NaN) - severedAt,
      readinessUpAfterRestoreMs: readyAgain.at - restoredAt,
      firstWriteAfterRestoreMs: recoveryMs,
      relayLogLinesWhileDown: relayLines.length,
    };
    console.info('[fault] database outage', JSON.stringify(figures.database));

    // Writes sent while the database was unreachable: 503 50300, within the pool/query deadlines — never a 500,
    // never hanging until the request deadline.
    expect(duringOutage.length).toBeGreaterThan(0);
    for (const outcome of duringOutage) {
      expect(outcome).toMatchObject({ status: 503, code: 50300 });
      expect(outcome.endedAt - outcome.startedAt).toBeLessThan(POOL_ACQUIRE_TIMEOUT_MS + QUERY_TIMEOUT_MS + MARGIN_MS);
    }
    // Readiness: 503 within the health check's own 1 s deadline (+ a probe interval), until the database is back.
    expect(firstDown).toBeDefined();
    expect((firstDown?.at ?? Number.POSITIVE_INFINITY) - severedAt).toBeLessThan(1_000 + MARGIN_MS);
    for (const sample of probe.between(firstDown?.at ?? 0, restoredAt)) expect(sample.status).toBe(503);
    expect(readyAgain.status).toBe(200);

    // The relays back off: a few log lines for the whole outage, not one per poll (OUTBOX_POLL_INTERVAL 200 ms).
    expect(relayLines.length).toBeLessThanOrEqual(4);
  }, 40_000);

  it.skipIf(profile.redisUrl === undefined)(
    'Redis (RATE_LIMIT_FAIL_MODE=open): writes keep succeeding, readiness 200 reporting redis down, then Redis is used again',
    async () => {
      if (redis === undefined || redisClient === undefined) return;
      await sleep(500);
      const { severedAt, restoredAt } = await sever(redis);
      const duringOutage = load.startedBetween(severedAt, restoredAt);
      expect(duringOutage.length).toBeGreaterThan(0);
      for (const outcome of duringOutage) expect(outcome.status).toBe(201);
      const probes = probe.between(severedAt, restoredAt);
      for (const sample of probes) expect(sample.status).toBe(200);
      expect(probes.some((sample) => sample.details?.redis?.status === 'down')).toBe(true);

      const redisUp = await waitFor(
        () => probe.sample(),
        (sample) => sample.details?.redis?.status === 'up',
        15_000,
      );
      const recoveryMs = await firstWriteAfter(restoredAt);
      // Redis is used again: the rate limiter's counters grow (synced at least every second) and a product read
      // fills the shared cache.
      const counters = async () => {
        const keys = (await redisClient!.keys('*')).filter((key) => !key.startsWith('orderly:cache:'));
        const values = await Promise.all(keys.map((key) => redisClient!.get(key).catch(() => null)));
        return values.reduce((sum, value) => sum + (Number(value) || 0), 0);
      };
      const before = await counters();
      await waitFor(counters, (now) => now > before, 5_000);
      await redisClient.del(`orderly:cache:products:${stockProductId}`);
      expect((await fetch(`${service?.base}/api/v1/products/${stockProductId}`)).status).toBe(200);
      const cached = await waitFor(
        () => redisClient!.keys(`orderly:cache:products:*${stockProductId}*`),
        (keys) => keys.length > 0,
        5_000,
      );
      expect(cached.length).toBeGreaterThan(0);

      figures.redis = {
        outageMs: restoredAt - severedAt,
        writesDuringOutage: tally(duringOutage),
        readinessDuringOutage: tally(probes.map((sample) => ({ status: sample.status }) as LoadOutcome)),
        redisUpAfterRestoreMs: redisUp.at - restoredAt,
        firstWriteAfterRestoreMs: recoveryMs,
      };
      console.info('[fault] redis outage', JSON.stringify(figures.redis));
    },
    40_000,
  );

  it('broker: writes keep succeeding, readiness 200 reporting the broker down, the backlog is published after', async () => {
    await sleep(500);
    const { severedAt, restoredAt } = await sever(broker);
    const duringOutage = load.startedBetween(severedAt, restoredAt);
    expect(duringOutage.length).toBeGreaterThan(0);
    for (const outcome of duringOutage) expect(outcome.status).toBe(201);
    const probes = probe.between(severedAt, restoredAt);
    for (const sample of probes) expect(sample.status).toBe(200);
    expect(probes.some((sample) => sample.details?.broker?.status === 'down')).toBe(true);

    // Every product created while the broker was away reaches the consumer once it is back.
    const backlog = duringOutage.filter((outcome) => outcome.key.startsWith('product:') && is2xx(outcome));
    expect(backlog.length).toBeGreaterThan(0);
    await waitFor(
      () => backlog.filter((outcome) => !published.has(outcome.key.slice('product:'.length))).length,
      (missing) => missing === 0,
      20_000,
    );
    const backlogPublishedMs = Date.now() - restoredAt;
    const brokerUp = await waitFor(
      () => probe.sample(),
      (sample) => sample.details?.broker?.status === 'up',
      10_000,
    );

    figures.broker = {
      outageMs: restoredAt - severedAt,
      writesDuringOutage: tally(duringOutage),
      backlogEvents: backlog.length,
      backlogPublishedAfterRestoreMs: backlogPublishedMs,
      brokerUpAfterRestoreMs: brokerUp.at - restoredAt,
    };
    console.info('[fault] broker outage', JSON.stringify(figures.broker));
  }, 40_000);

  it('lost nothing: every write answered 2xx is in the database and every created product reached the broker', async () => {
    await sleep(300);
    const outcomes = await load.stop();
    await probe.stop();

    // Never a 500, never an unanswered request: only 201, or 503 50300 while the database was away.
    for (const outcome of outcomes) {
      if (is2xx(outcome)) continue;
      expect(outcome).toMatchObject({ status: 503, code: 50300 });
    }
    const succeeded = outcomes.filter(is2xx);
    const products = succeeded.filter((outcome) => outcome.key.startsWith('product:'));
    const adjustments = succeeded.filter((outcome) => outcome.key.startsWith('stock:'));
    const skus = products.map((outcome) => outcome.key.slice('product:'.length));
    const reasons = adjustments.map((outcome) => outcome.key.slice('stock:'.length));

    const [productRows] = await db.query<RowDataPacket[]>('SELECT id, sku FROM catalog_products WHERE sku IN (?)', [
      skus,
    ]);
    const storedSkus = new Set(productRows.map((row) => row.sku as string));
    const lostProducts = skus.filter((sku) => !storedSkus.has(sku));

    const [movementRows] = await db.query<RowDataPacket[]>(
      'SELECT reason FROM inventory_movements WHERE product_id = ?',
      [stockProductId],
    );
    const storedReasons = new Set(movementRows.map((row) => row.reason as string));
    const lostAdjustments = reasons.filter((reason) => !storedReasons.has(reason));
    const [[stock]] = await db.query<RowDataPacket[]>('SELECT on_hand FROM inventory_stock WHERE product_id = ?', [
      stockProductId,
    ]);
    // One unit per stored movement, and at least one per 201 (a 503 whose commit went through may add one more).
    expect(stock?.on_hand).toBe(movementRows.length);
    expect(movementRows.length).toBeGreaterThanOrEqual(adjustments.length);

    // Events: in the outbox and delivered in process (those relays resumed by themselves), and on the broker.
    const ids = productRows.map((row) => row.id as string);
    const outboxState = async () => {
      const [rows] = await db.query<RowDataPacket[]>(
        `SELECT SUM(delivered_at IS NOT NULL) AS delivered, SUM(published_at IS NOT NULL) AS published, COUNT(*) AS n
           FROM outbox_events WHERE type = 'catalog.product_created' AND aggregate_id IN (?)`,
        [ids],
      );
      return { rows: Number(rows[0]?.n), delivered: Number(rows[0]?.delivered), published: Number(rows[0]?.published) };
    };
    const outbox = await waitFor(outboxState, (state) => state.delivered === ids.length, 15_000);
    expect(outbox.rows).toBe(ids.length);
    const lostEvents = await waitFor(
      () => skus.filter((sku) => !published.has(sku)),
      (missing) => missing.length === 0,
      15_000,
    ).catch(() => skus.filter((sku) => !published.has(sku)));

    figures.total = {
      writes: tally(outcomes),
      productsCreated: products.length,
      stockAdjusted: adjustments.length,
      lostProducts: lostProducts.length,
      lostAdjustments: lostAdjustments.length,
      lostEvents: lostEvents.length,
      outbox,
    };
    console.info('[fault] totals', JSON.stringify(figures.total));
    expect(lostProducts).toEqual([]);
    expect(lostAdjustments).toEqual([]);
    expect(lostEvents).toEqual([]);
  }, 40_000);
});
