import { Redis } from 'ioredis';
import { v7 as uuidv7 } from 'uuid';
import type { DataSource } from 'typeorm';
import { AmqpBrokerPublisher } from '../../src/platform/messaging/broker/amqp-broker-publisher.js';
import { BrokerRelay } from '../../src/platform/messaging/broker/broker-relay.js';
import { OutboxMonitor } from '../../src/platform/messaging/outbox-monitor.js';
import { CircuitBreakerMetrics } from '../../src/platform/metrics/circuit-breaker.metrics.js';
import { MetricsRegistry } from '../../src/platform/metrics/metrics-registry.js';
import { OutboxEventOrmEntity } from '../../src/platform/persistence/outbox/outbox-event.orm-entity.js';
import { BatchedRedisThrottlerStorage } from '../../src/platform/rate-limit/batched-redis-throttler.storage.js';
import { RedisThrottlerStorage } from '../../src/platform/rate-limit/redis-throttler.storage.js';
import { CircuitBreaker } from '../../src/platform/resilience/circuit-breaker.js';
import { DependencyUnavailableError } from '../../src/platform/resilience/dependency-unavailable.error.js';
import { SystemClock } from '../../src/platform/runtime/system-clock.js';
import { EventSource, writeEvents } from '../support/outbox-harness.js';
import { createPersistenceHarness, type PersistenceHarness } from '../support/persistence-harness.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { brokerReachable, TEST_BROKER_URL as BROKER } from '../support/test-broker.js';
import { createTestDataSource } from '../support/test-data-source.js';
import { describeProfile, testProfile } from '../support/test-profile.js';
import { waitFor } from '../support/wait-for.js';

/** `circuit_breaker_state{breaker}` as exposed: 0 closed, 1 half-open, 2 open; undefined before any report. */
async function gauge(metrics: MetricsRegistry, breaker: string): Promise<number | undefined> {
  const metric = metrics.registry.getSingleMetric('circuit_breaker_state');
  const { values } = await metric!.get();
  return values.find((value) => value.labels.breaker === breaker)?.value;
}

/** Every state a breaker reported, in order. */
function recordStates(metrics: CircuitBreakerMetrics, breaker: string): string[] {
  const states: string[] = [];
  const report = vi.isMockFunction(metrics.report) ? undefined : metrics.report.bind(metrics);
  const spy = vi.spyOn(metrics, 'report');
  const previous = spy.getMockImplementation() ?? report!;
  spy.mockImplementation((name, state) => {
    if (name === breaker) states.push(state);
    previous(name, state);
  });
  return states;
}

describe(describeProfile('circuit breakers (SPEC §4): broker and Redis severed and restored'), () => {
  describe('broker: the relay stops claiming while open, publishes everything once the breaker closes', () => {
    let available = false;
    let dataSource: DataSource;
    let harness: PersistenceHarness;
    let proxy: TcpProxy;
    let relay: BrokerRelay;
    let metrics: MetricsRegistry;
    let breakers: CircuitBreakerMetrics;
    let type: string;

    beforeAll(async () => {
      available = await brokerReachable();
      if (!available) return;
      dataSource = await createTestDataSource();
      harness = createPersistenceHarness(dataSource, { brokerEnabled: true, pollIntervalMs: 100 });
      proxy = await new TcpProxy(BROKER.hostname, Number(BROKER.port || 5672)).start();
      type = `test.breaker_${uuidv7().replaceAll('-', '')}`;
      const viaProxy = new URL(BROKER);
      viaProxy.port = String(proxy.port);
      metrics = new MetricsRegistry();
      breakers = new CircuitBreakerMetrics(metrics);
      relay = new BrokerRelay(
        harness.outbox,
        new SystemClock(),
        harness.settings,
        new OutboxMonitor(harness.outbox),
        harness.signal,
        new AmqpBrokerPublisher(viaProxy.toString(), `orderly.test.${uuidv7()}`),
        breakers,
      );
      relay.onApplicationBootstrap();
    });

    afterAll(async () => {
      if (!available) return;
      await relay.beforeApplicationShutdown();
      await proxy.stop();
      await dataSource.destroy();
    });

    const unpublished = async () =>
      (await dataSource.getRepository(OutboxEventOrmEntity).findBy({ type })).filter((row) => row.publishedAt === null)
        .length;

    it('opens on the broker outage, half-opens for trials, closes on recovery; 0 events lost', async (context) => {
      if (!available) return context.skip();
      const states = recordStates(breakers, 'broker');
      expect(await gauge(metrics, 'broker')).toBe(0);

      await proxy.sever();
      await writeEvents(harness, [new EventSource(uuidv7()).emit(type, 1)]);
      await waitFor(
        () => gauge(metrics, 'broker'),
        (state) => state === 2,
      );
      expect(await unpublished()).toBe(1);

      // While open, commits trigger nothing: the rows stay unclaimed until a trial.
      await writeEvents(harness, [new EventSource(uuidv7()).emit(type, 2), new EventSource(uuidv7()).emit(type, 3)]);
      expect(await unpublished()).toBe(3);

      const restoredAt = Date.now();
      await proxy.restore();
      await waitFor(unpublished, (count) => count === 0, 40_000);
      const recoveryMs = Date.now() - restoredAt;
      expect(await gauge(metrics, 'broker')).toBe(0);
      expect(states[0]).toBe('open');
      expect(states).toContain('halfOpen');
      expect(states.at(-1)).toBe('closed');
      // The trials' wait doubles from 0.5 s: recovery within the wait reached by then plus a publish.
      expect(recoveryMs).toBeLessThan(35_000);
    });
  });

  const profile = testProfile();
  const redisUrl = profile.kind === 'server' ? profile.redisUrl : undefined;

  describe.skipIf(redisUrl === undefined)('Redis for rate limiting: fail mode while open, back to Redis after', () => {
    let proxy: TcpProxy;
    let redis: Redis;
    let metrics: MetricsRegistry;
    let breakers: CircuitBreakerMetrics;
    const keys: string[] = [];

    beforeAll(async () => {
      const target = new URL(redisUrl!);
      proxy = await new TcpProxy(target.hostname, Number(target.port || 6379)).start();
      // As RedisModule builds it: no offline queue, a command timeout, reconnecting by itself.
      redis = new Redis({
        host: '127.0.0.1',
        port: proxy.port,
        db: Number(target.pathname.slice(1) || 0),
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        commandTimeout: 500,
        retryStrategy: () => 100,
      });
      redis.on('error', () => undefined);
      await redis.connect();
      metrics = new MetricsRegistry();
      breakers = new CircuitBreakerMetrics(metrics);
    });

    afterAll(async () => {
      if (keys.length > 0) await redis.del(...keys.map((key) => `throttle:${key}`)).catch(() => undefined);
      redis.disconnect();
      await proxy.stop();
    });

    function storageFor(failMode: 'open' | 'closed'): {
      storage: BatchedRedisThrottlerStorage;
      breaker: CircuitBreaker;
    } {
      const breaker = new CircuitBreaker(
        `redis-rate-limit-${failMode}`,
        {
          errorThresholdPercentage: 50,
          volumeThreshold: 5,
          rollingWindowMs: 10_000,
          resetTimeoutMs: 300,
          maxResetTimeoutMs: 1_000,
          callTimeoutMs: false,
        },
        breakers,
      );
      const storage = new BatchedRedisThrottlerStorage(
        new RedisThrottlerStorage(redis, failMode, breaker),
        redis,
        failMode,
        Date.now,
        1_000,
        breaker,
      );
      return { storage, breaker };
    }

    const uniqueKey = () => {
      const key = `breaker-${uuidv7()}`;
      keys.push(key);
      return key;
    };

    it.each(['open', 'closed'] as const)(
      'RATE_LIMIT_FAIL_MODE=%s: severed → breaker opens and answers by the fail mode without calling Redis; restored → closes, counts in Redis again',
      async (failMode) => {
        const { storage, breaker } = storageFor(failMode);
        const name = breaker.name;
        const states = recordStates(breakers, name);
        // Auth-like limit (B = 1): every hit is a call to Redis, the path the breaker guards.
        const limit = 10;
        const key = uniqueKey();
        expect((await storage.increment(key, 60_000, limit)).totalHits).toBe(1);

        await proxy.sever();
        const answers: unknown[] = [];
        for (let i = 0; i < 8; i++)
          answers.push(await storage.increment(uniqueKey(), 60_000, limit).catch((error: unknown) => error));
        expect(breaker.state).toBe('open');
        expect(await gauge(metrics, name)).toBe(2);
        for (const answer of answers) {
          if (failMode === 'open') expect(answer).toMatchObject({ isBlocked: false });
          else expect(answer).toBeInstanceOf(DependencyUnavailableError);
        }
        // Open: the fallback answers at once.
        const startedAt = performance.now();
        const fallback = await storage.increment(uniqueKey(), 60_000, limit).catch((error: unknown) => error);
        expect(performance.now() - startedAt).toBeLessThan(20);
        if (failMode === 'open') expect(fallback).toMatchObject({ isBlocked: false, totalHits: 0 });
        else expect(fallback).toBeInstanceOf(DependencyUnavailableError);

        await proxy.restore();
        await waitFor(
          () => redis.status,
          (status) => status === 'ready',
        );
        // The next calls after the breaker's wait are trials; one success closes it.
        await waitFor(
          async () => {
            await storage.increment(uniqueKey(), 60_000, limit).catch(() => undefined);
            return breaker.state;
          },
          (state) => state === 'closed',
          5_000,
        );
        expect(await gauge(metrics, name)).toBe(0);
        expect((await storage.increment(key, 60_000, limit)).totalHits).toBe(2);
        expect(states).toEqual(expect.arrayContaining(['open', 'halfOpen', 'closed']));
        storage.onApplicationShutdown();
      },
      20_000,
    );

    it('a hung Redis (connected, silent): each call waits out the command timeout until the breaker opens, then none does', async () => {
      const { storage, breaker } = storageFor('open');
      const limit = 10;
      proxy.stall();
      await waitFor(
        () => redis.status,
        (status) => status === 'ready',
      );
      const waits: number[] = [];
      for (let i = 0; i < 8; i++) {
        const startedAt = performance.now();
        expect(await storage.increment(uniqueKey(), 60_000, limit)).toMatchObject({ isBlocked: false });
        waits.push(performance.now() - startedAt);
      }
      expect(breaker.state).toBe('open');
      // The first five calls time out (500 ms each); once open, the fallback is immediate.
      expect(waits.slice(0, 5).every((ms) => ms >= 400)).toBe(true);
      expect(waits.slice(5).every((ms) => ms < 20)).toBe(true);

      await proxy.restore();
      await waitFor(
        async () => {
          await storage.increment(uniqueKey(), 60_000, limit).catch(() => undefined);
          return breaker.state;
        },
        (state) => state === 'closed',
        10_000,
      );
      storage.onApplicationShutdown();
    }, 20_000);
  });
});
