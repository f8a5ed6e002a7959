import { connect as amqpConnect, type ChannelModel } from 'amqplib';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { adminHeaders, catalogWrites, createdSkus, createProduct, storedWrites } from '../support/catalog-writes.js';
import { ReadinessProbe } from '../support/readiness-probe.js';
import { compiledServiceMain, startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { brokerReachable, TEST_BROKER_URL } from '../support/test-broker.js';
import { createTestDataSource } from '../support/test-data-source.js';
import { describeProfile, testProfile } from '../support/test-profile.js';
import { waitFor } from '../support/wait-for.js';
import { sleep, tally, WriteLoad, type LoadOutcome } from '../support/write-load.js';

/**
 * Issue #17 item 3, SPEC §4 "Timeouts and overload" / "Health": the compiled service, as a process, with its
 * database, Redis and broker each behind a TCP proxy that the test cuts for a few seconds while a steady write load
 * runs (four admin clients creating products and adding stock to one product). Each outage must degrade as
 * documented — for the database (stopped: connections refused; hung: nothing answers) fast 503 50300 and readiness
 * 503; for Redis and the broker nothing but a `down` in readiness — the service must recover by itself, and every
 * write answered 2xx must be in the database, with its event on the broker, afterwards. The measured figures are
 * printed with console.info. Server profile only (the embedded profile has no network dependency to lose).
 */
const profile = testProfile();
const OUTAGE_MS = 2_000;
/** The deadlines the service runs with here (small, so that an outage shows within the test's few seconds). */
const POOL_ACQUIRE_TIMEOUT_MS = 1_000;
const QUERY_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 4_000;
/** The service's Redis command timeout (redis.module.ts). */
const REDIS_COMMAND_TIMEOUT_MS = 500;
/** The readiness check's own deadline per dependency (health.controller.ts). */
const HEALTH_CHECK_TIMEOUT_MS = 1_000;
/** Slack for a loaded 2-core CI machine on top of the service's own bounds. */
const MARGIN_MS = 1_500;
const PASSWORD = 'fault-admin-password-1';

function proxiedUrl(url: string | URL, port: number): string {
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(port);
  return proxied.toString();
}

function proxyFor(url: string | URL, defaultPort: number): TcpProxy {
  const parsed = new URL(url);
  return new TcpProxy(parsed.hostname, Number(parsed.port || defaultPort));
}

const is2xx = (outcome: LoadOutcome) => outcome.status >= 200 && outcome.status < 300;

describe.skipIf(profile.kind !== 'server')(describeProfile('fault tolerance under a write load'), () => {
  if (profile.kind !== 'server') return;
  const runId = uuidv7().slice(-12).toUpperCase();
  const exchange = `orderly.fault.${runId.toLowerCase()}`;
  const adminEmail = `fault-admin-${runId.toLowerCase()}@it.example.com`;
  const database = proxyFor(profile.databaseUrl, 3306);
  const redis = profile.redisUrl === undefined ? undefined : proxyFor(profile.redisUrl, 6379);
  const broker = proxyFor(TEST_BROKER_URL, 5672);
  let service: ServiceProcess | undefined;
  let probe: ReadinessProbe | undefined;
  let load: WriteLoad | undefined;
  let dataSource: DataSource | undefined;
  let redisClient: Redis | undefined;
  let consumer: ChannelModel | undefined;
  /** SKU → how many times its `catalog.product_created` reached the test's queue. */
  const published = new Map<string, number>();
  let stockProductId: string;

  beforeAll(async () => {
    await brokerReachable(); // REQUIRE_BROKER=1 (CI) turns a missing RabbitMQ into a failure here
    const main = await compiledServiceMain();
    await Promise.all([database.start(), redis?.start(), broker.start()]);

    // A queue of the test's own on the service's exchange (unique per run), bound before anything is published.
    consumer = await amqpConnect(TEST_BROKER_URL.toString());
    const channel = await consumer.createChannel();
    await channel.assertExchange(exchange, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, exchange, 'catalog.product_created');
    await channel.consume(
      queue,
      (message) => {
        if (message === null) return;
        const sku = (JSON.parse(message.content.toString()) as { payload: { sku: string } }).payload.sku;
        published.set(sku, (published.get(sku) ?? 0) + 1);
      },
      { noAck: true },
    );
    // The test reads the database and Redis directly, never through the proxies.
    dataSource = await createTestDataSource();
    if (profile.redisUrl !== undefined) redisClient = new Redis(profile.redisUrl);

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
    const headers = await adminHeaders(service.base, adminEmail, PASSWORD);
    stockProductId = await createProduct(service.base, headers, `FT-${runId}-STOCK`);
    load = new WriteLoad({
      clients: 4,
      pauseMs: 30,
      clientTimeoutMs: REQUEST_TIMEOUT_MS + 5_000,
      next: catalogWrites(service.base, headers, `FT-${runId}`, stockProductId),
    }).start();
    probe = new ReadinessProbe(service.base, 100).start();
    await sleep(1_000);
  }, 120_000);

  afterAll(async () => {
    await load?.stop();
    await probe?.stop();
    if (service !== undefined && service.child.exitCode === null) {
      service.child.kill('SIGTERM');
      if ((await Promise.race([service.exited, sleep(10_000)])) === undefined) service.child.kill('SIGKILL');
    }
    if (consumer !== undefined) {
      await (await consumer.createChannel()).deleteExchange(exchange).catch(() => undefined);
      await consumer.close();
    }
    await dataSource?.destroy();
    redisClient?.disconnect();
    await Promise.all([database.stop(), redis?.stop(), broker.stop()]);
  });

  interface Outage {
    readonly cutAt: number;
    /** Taken before the proxy forwards again: a request sent after this may already reach the dependency. */
    readonly restoredAt: number;
    /** What the service logged while the dependency was away. */
    readonly logs: string;
  }

  async function outage(proxy: TcpProxy, mode: 'sever' | 'stall', durationMs = OUTAGE_MS): Promise<Outage> {
    const logsFrom = service?.output().length ?? 0;
    const cutAt = Date.now();
    if (mode === 'sever') await proxy.sever();
    else proxy.stall();
    await sleep(durationMs);
    const restoredAt = Date.now();
    const logs = service?.output().slice(logsFrom) ?? '';
    await proxy.restore();
    return { cutAt, restoredAt, logs };
  }

  /** Time from `restoredAt` until a write sent after it is answered 2xx. */
  async function firstWriteAfter(restoredAt: number): Promise<number> {
    const first = await waitFor(
      () => load?.startedBetween(restoredAt).find(is2xx),
      (found) => found !== undefined,
      15_000,
    );
    return (first?.endedAt ?? Number.NaN) - restoredAt;
  }

  async function databaseOutage(mode: 'sever' | 'stall'): Promise<void> {
    if (load === undefined || probe === undefined) throw new Error('not started');
    // Hung: long enough for a probe sent after the cut to run into the health check's deadline too.
    const { cutAt, restoredAt, logs } = await outage(database, mode, mode === 'stall' ? 3_000 : OUTAGE_MS);
    const readyAgain = await waitFor(
      () => probe!.sample(),
      (sample) => sample.status === 200,
      15_000,
    );
    const recoveryMs = await firstWriteAfter(restoredAt);
    // Requests still running at `restoredAt` belong to the outage too: each must be answered within the bound.
    const hanging = await waitFor(
      () => load!.inFlightSince(restoredAt),
      (requests) => requests.length === 0,
      POOL_ACQUIRE_TIMEOUT_MS + QUERY_TIMEOUT_MS + MARGIN_MS,
    ).catch(() => load!.inFlightSince(restoredAt));
    // Every request the outage touched: in flight when it began, or sent while it lasted.
    const duringOutage = load.outcomes.filter((outcome) => outcome.startedAt < restoredAt && outcome.endedAt > cutAt);
    // The first 503 answered after the cut: what a load balancer probing at that moment would see.
    const firstDown = probe.answeredBetween(cutAt).find((sample) => sample.status === 503);
    const relayLines = logs.split('\n').filter((line) => /"context":"(OutboxRelay|BrokerRelay)"/.test(line));
    const figures = {
      outageMs: restoredAt - cutAt,
      writesDuringOutage: tally(duringOutage),
      slowest503Ms: Math.max(...duringOutage.map((outcome) => outcome.endedAt - outcome.startedAt)),
      readinessDownAfterMs: (firstDown?.answeredAt ?? Number.NaN) - cutAt,
      readinessUpAfterRestoreMs: readyAgain.answeredAt - restoredAt,
      firstWriteAfterRestoreMs: recoveryMs,
      relayLogLinesWhileDown: relayLines.length,
    };
    console.info(`[fault] database ${mode === 'sever' ? 'stopped' : 'hung'}`, JSON.stringify(figures));

    // Writes the outage touched: 503 50300 within the pool/query deadlines — never a 500, never waiting for the
    // request deadline (let alone for the database to come back). A 201 is only possible for a write that committed
    // before the cut or got a fresh connection after the restore.
    expect(hanging).toEqual([]);
    expect(duringOutage.filter((outcome) => outcome.status === 503).length).toBeGreaterThan(0);
    for (const outcome of duringOutage) {
      expect(outcome.endedAt - outcome.startedAt).toBeLessThan(POOL_ACQUIRE_TIMEOUT_MS + QUERY_TIMEOUT_MS + MARGIN_MS);
      if (outcome.status === 201 && (outcome.startedAt < cutAt || outcome.endedAt > restoredAt)) continue;
      expect(outcome).toMatchObject({ status: 503, code: 50300 });
    }
    // Readiness: 503 within the health check's own deadline (+ a probe interval), and until the database is back.
    expect(firstDown).toBeDefined();
    expect((firstDown?.answeredAt ?? Number.POSITIVE_INFINITY) - cutAt).toBeLessThan(
      HEALTH_CHECK_TIMEOUT_MS + MARGIN_MS,
    );
    for (const sample of probe.answeredBetween(firstDown?.answeredAt ?? 0, restoredAt)) expect(sample.status).toBe(503);
    // Recovered without a restart.
    expect(readyAgain.status).toBe(200);
    expect(service?.child.exitCode).toBeNull();
    // The relays back off: a few log lines for the whole outage, not one per poll (OUTBOX_POLL_INTERVAL 200 ms).
    expect(relayLines.length).toBeLessThanOrEqual(4);
  }

  it('database stopped (connections refused): fast 503 50300, readiness 503, relays back off, recovery', async () => {
    await databaseOutage('sever');
  }, 40_000);

  it('database hung (nothing answers): 503 50300 within DB_POOL_ACQUIRE_TIMEOUT/DB_QUERY_TIMEOUT, readiness 503, recovery', async () => {
    await sleep(500);
    await databaseOutage('stall');
  }, 40_000);

  async function redisOutage(mode: 'sever' | 'stall'): Promise<void> {
    if (redis === undefined || redisClient === undefined || load === undefined || probe === undefined) return;
    const client = redisClient;
    await sleep(500);
    const { cutAt, restoredAt } = await outage(redis, mode);
    const duringOutage = load.outcomes.filter((outcome) => outcome.startedAt < restoredAt && outcome.endedAt > cutAt);
    const probes = probe.between(cutAt, restoredAt);
    const redisUp = await waitFor(
      () => probe!.sample(),
      (sample) => sample.details?.redis?.status === 'up',
      15_000,
    );
    const recoveryMs = await firstWriteAfter(restoredAt);

    // Redis is used again: the rate limiter's shared counters grow (it syncs at least every second) and a product
    // read fills the shared cache.
    // Counted per key: a window's key expiring (TTL) must not hide another key's growth.
    const counters = async () => {
      const keys = (await client.keys('*')).filter((key) => !key.startsWith('orderly:cache:'));
      const values = await Promise.all(keys.map((key) => client.get(key).catch(() => null)));
      return new Map(keys.map((key, index) => [key, Number(values[index]) || 0]));
    };
    const before = await counters();
    const grown = (now: Map<string, number>) =>
      [...now].filter(([key, value]) => value > (before.get(key) ?? 0)).length;
    // The rate limiter's breaker tries Redis again 1–5 s after it opened (doubling), then syncs its batched counts:
    // readiness can report Redis up well before the limiter writes to it again.
    const rateLimiterBack = grown(await waitFor(counters, (now) => grown(now) > 0, 15_000));
    for (const key of await client.keys(`orderly:cache:products:*`)) await client.del(key);
    expect((await fetch(`${service?.base}/api/v1/products/${stockProductId}`)).status).toBe(200);
    const cached = await waitFor(
      () => client.keys(`orderly:cache:products:*`),
      (keys) => keys.length > 0,
      5_000,
    );

    console.info(
      `[fault] redis ${mode === 'sever' ? 'stopped' : 'hung'}`,
      JSON.stringify({
        outageMs: restoredAt - cutAt,
        writesDuringOutage: tally(duringOutage),
        slowestWriteMs: Math.max(...duringOutage.map((outcome) => outcome.endedAt - outcome.startedAt)),
        readinessDuringOutage: tally(probes.map((sample) => ({ status: sample.status }) as LoadOutcome)),
        redisUpAfterRestoreMs: redisUp.answeredAt - restoredAt,
        firstWriteAfterRestoreMs: recoveryMs,
      }),
    );
    // Degraded, not failed: every write succeeds — rate limiting fails open, caches fall back to the database —
    // and none waits long on the lost Redis: at most one command timeout for the rate limiter and one for the
    // cache's invalidation, after which their breaker and skip window stop calling it for a while.
    expect(duringOutage.length).toBeGreaterThan(0);
    for (const outcome of duringOutage) {
      expect(outcome.status).toBe(201);
      expect(outcome.endedAt - outcome.startedAt).toBeLessThan(2 * REDIS_COMMAND_TIMEOUT_MS + MARGIN_MS);
    }
    for (const sample of probes) expect(sample.status).toBe(200);
    expect(probes.some((sample) => sample.details?.redis?.status === 'down')).toBe(true);
    expect(rateLimiterBack).toBeGreaterThan(0);
    expect(cached.length).toBeGreaterThan(0);
  }

  it.skipIf(profile.redisUrl === undefined)(
    'Redis stopped (RATE_LIMIT_FAIL_MODE=open): writes keep succeeding, readiness 200 reporting redis down, Redis used again after',
    () => redisOutage('sever'),
    60_000,
  );

  it.skipIf(profile.redisUrl === undefined)(
    'Redis hung: writes keep succeeding without waiting on it, readiness 200, Redis used again after',
    () => redisOutage('stall'),
    60_000,
  );

  it('broker: writes keep succeeding, readiness 200 reporting the broker down, the backlog is published after', async () => {
    if (load === undefined || probe === undefined) throw new Error('not started');
    await sleep(500);
    const { cutAt, restoredAt } = await outage(broker, 'sever');
    const duringOutage = load.startedBetween(cutAt, restoredAt);
    const probes = probe.between(cutAt, restoredAt);
    // Every product created while the broker was away reaches the consumer once it is back.
    const backlog = createdSkus(duringOutage);
    await waitFor(
      () => backlog.filter((sku) => !published.has(sku)).length,
      (missing) => missing === 0,
      20_000,
    );
    const backlogPublishedMs = Date.now() - restoredAt;
    const brokerUp = await waitFor(
      () => probe!.sample(),
      (sample) => sample.details?.broker?.status === 'up',
      10_000,
    );

    console.info(
      '[fault] broker down',
      JSON.stringify({
        outageMs: restoredAt - cutAt,
        writesDuringOutage: tally(duringOutage),
        backlogEvents: backlog.length,
        backlogPublishedAfterRestoreMs: backlogPublishedMs,
        brokerUpAfterRestoreMs: brokerUp.answeredAt - restoredAt,
      }),
    );
    expect(backlog.length).toBeGreaterThan(0);
    for (const outcome of duringOutage) expect(outcome.status).toBe(201);
    for (const sample of probes) expect(sample.status).toBe(200);
    expect(probes.some((sample) => sample.details?.broker?.status === 'down')).toBe(true);
  }, 40_000);

  it('lost nothing: every write answered 2xx is in the database, every created product reached the broker', async () => {
    if (load === undefined || probe === undefined || dataSource === undefined) throw new Error('not started');
    await sleep(300);
    const outcomes = await load.stop();
    await probe.stop();
    const stored = await waitFor(
      () => storedWrites(dataSource!, outcomes, stockProductId),
      // Both relays resumed by themselves after the outages: every row delivered in process and marked published.
      (state) => state.events.delivered === state.productIds.size && state.events.published === state.productIds.size,
      15_000,
    ).catch(() => storedWrites(dataSource!, outcomes, stockProductId));
    const skus = createdSkus(outcomes);
    const unpublished = await waitFor(
      () => skus.filter((sku) => !published.has(sku)),
      (missing) => missing.length === 0,
      15_000,
    ).catch(() => skus.filter((sku) => !published.has(sku)));

    console.info(
      '[fault] totals',
      JSON.stringify({
        writes: tally(outcomes),
        productsAnswered2xx: stored.productsAnswered2xx,
        adjustmentsAnswered2xx: stored.adjustmentsAnswered2xx,
        lost: stored.lostProducts.length + stored.lostAdjustments.length,
        eventsLost: unpublished.length,
        eventsPublishedTwice: [...published.values()].filter((count) => count > 1).length,
        outbox: stored.events,
      }),
    );
    // Never a 500, never an unanswered request: only 201, or 503 50300 while the database was away.
    for (const outcome of outcomes) {
      if (is2xx(outcome)) continue;
      expect(outcome).toMatchObject({ status: 503, code: 50300 });
    }
    expect(stored.lostProducts).toEqual([]);
    expect(stored.lostAdjustments).toEqual([]);
    // One unit per stored movement, and at least one per 201 (a 503 whose commit went through adds one more).
    expect(stored.onHand).toBe(stored.movements);
    expect(stored.movements).toBeGreaterThanOrEqual(stored.adjustmentsAnswered2xx);
    expect(stored.events.rows).toBe(stored.productIds.size);
    expect(stored.events.delivered).toBe(stored.productIds.size);
    expect(stored.events.published).toBe(stored.productIds.size);
    expect(unpublished).toEqual([]);
  }, 40_000);
});
