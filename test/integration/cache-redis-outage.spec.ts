import { Redis } from 'ioredis';
import { v7 as uuidv7 } from 'uuid';
import type { RedisGuard } from '../../src/platform/cache/redis-guard.js';
import { TieredCacheProvider } from '../../src/platform/cache/tiered-cache.provider.js';
import { CircuitBreaker } from '../../src/platform/resilience/circuit-breaker.js';
import { MetricsRegistry } from '../../src/platform/metrics/metrics-registry.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { describeProfile } from '../support/test-profile.js';
import {
  COMMAND_TIMEOUT_MS,
  cacheTestRedis,
  connectionOptions,
  redisUrl,
  requestCounts,
  waitFor,
} from './cache-test-support.js';

describe.skipIf(redisUrl === undefined)(describeProfile('cache platform with a stopped Redis'), () => {
  const namespace = `orderly-test:cache:${uuidv7()}:`;
  const target = redisUrl === undefined ? undefined : new URL(redisUrl);
  const clients: Redis[] = [];
  const providers: TieredCacheProvider[] = [];
  let inspector: Redis;
  let proxy: TcpProxy;

  /** An instance whose connections go through the proxy (the subscriber's too: duplicate() keeps the address). */
  async function proxiedInstance(options: { connect?: boolean; guard?: RedisGuard } = {}) {
    const client = new Redis(connectionOptions(redisUrl!, proxy.port));
    client.on('error', () => undefined);
    clients.push(client);
    const connected = client.connect().catch(() => undefined);
    if (options.connect !== false) await connected;
    const registry = new MetricsRegistry();
    const provider = new TieredCacheProvider(client, registry, {
      namespace,
      ...(options.guard === undefined ? {} : { guard: options.guard }),
    });
    providers.push(provider);
    return { client, provider, registry };
  }

  async function untilReady(client: Redis): Promise<void> {
    await waitFor(() => expect(client.status).toBe('ready'), { timeoutMs: 5_000 });
  }

  beforeAll(async () => {
    inspector = await cacheTestRedis(redisUrl!);
  });

  beforeEach(async () => {
    proxy = await new TcpProxy(target!.hostname, Number(target!.port || 6379)).start();
  });

  afterEach(async () => {
    await proxy.stop();
  });

  afterAll(async () => {
    providers.forEach((provider) => provider.close());
    const keys = await inspector.keys(`${namespace}*`);
    if (keys.length > 0) await inspector.del(...keys);
    for (const client of [...clients, inspector]) client.disconnect();
  });

  it('falls through to the loader at once, without an error, while Redis is unreachable — then recovers', async () => {
    const { client, provider, registry } = await proxiedInstance();
    const name = `outage-${uuidv7()}`;
    const cache = provider.create<string>({ name, ttlMs: 60_000 });
    await proxy.sever();

    // Straight after the cut (the client may not have noticed yet) and once it has: bounded by the command timeout.
    for (const key of ['first', 'second']) {
      const started = performance.now();
      expect(await cache.get(key, async (k) => `loaded ${k}`)).toBe(`loaded ${key}`);
      expect(performance.now() - started).toBeLessThan(COMMAND_TIMEOUT_MS + 250);
    }
    await waitFor(() => expect(client.status).not.toBe('ready'));
    const started = performance.now();
    for (let i = 0; i < 20; i++) await cache.get(`down-${i}`, async () => 'from the database');
    expect((performance.now() - started) / 20).toBeLessThan(5); // not ready → Redis is skipped, no waiting at all
    expect((await requestCounts(registry, name)).error).toBe(22);

    await proxy.restore();
    await untilReady(client);
    await inspector.set(`${namespace}${name}:shared`, JSON.stringify('written by another instance'));
    const load = vi.fn(async () => 'from the database');
    await waitFor(async () => expect(await cache.get('shared', load)).toBe('written by another instance'), {
      timeoutMs: 3_000,
    });
    expect((await requestCounts(registry, name)).hit).toBeGreaterThanOrEqual(1);
  });

  it('invalidates locally while Redis is down, and deletes the stale Redis value as soon as Redis is back', async () => {
    const { client, provider } = await proxiedInstance();
    const name = `stale-${uuidv7()}`;
    const cache = provider.create<string>({ name, ttlMs: 60_000 });
    await cache.get('k', async () => 'old');
    await waitFor(async () => expect(await inspector.get(`${namespace}${name}:k`)).toBe('"old"'));

    await proxy.sever();
    const started = performance.now();
    await expect(cache.invalidate('k')).resolves.toBeUndefined();
    expect(performance.now() - started).toBeLessThan(COMMAND_TIMEOUT_MS + 250);
    expect(cache.peek('k')).toBeUndefined();
    expect(provider.pendingInvalidations).toBe(1);
    expect(await inspector.get(`${namespace}${name}:k`)).toBe('"old"'); // what an outage leaves behind

    await proxy.restore();
    await untilReady(client);
    await waitFor(async () => expect(await inspector.exists(`${namespace}${name}:k`)).toBe(0), { timeoutMs: 3_000 });
    await waitFor(() => expect(provider.pendingInvalidations).toBe(0)); // once the DEL's reply is in
    expect(await cache.get('k', async () => 'new')).toBe('new');

    // The subscriber reconnected and subscribed again by itself: another instance's invalidation reaches this one
    // well before the 1-second local TTL could explain the drop.
    const directClient = await cacheTestRedis(redisUrl!);
    clients.push(directClient);
    const other = new TieredCacheProvider(directClient, new MetricsRegistry(), { namespace });
    providers.push(other);
    const onOther = other.create<string>({ name, ttlMs: 60_000 });
    await waitFor(
      async () => {
        await cache.invalidate('k');
        await cache.get('k', async () => 'newer');
        await onOther.invalidate('k');
        await waitFor(() => expect(cache.peek('k')).toBeUndefined(), { timeoutMs: 300, intervalMs: 5 });
      },
      { timeoutMs: 3_000 },
    );
  });

  it('empties its namespace on recovery when too many invalidations failed to remember each', async () => {
    const { client, provider } = await proxiedInstance();
    const name = `flood-${uuidv7()}`;
    const cache = provider.create<string>({ name, ttlMs: 60_000 });
    await cache.get('survivor', async () => 'stale after the outage');
    await waitFor(async () => expect(await inspector.exists(`${namespace}${name}:survivor`)).toBe(1));

    await proxy.sever();
    await cache.invalidate(...Array.from({ length: 10_001 }, (_, i) => `gone-${i}`));
    expect(provider.pendingInvalidations).toBe(0); // replaced by "purge on recovery"

    await proxy.restore();
    await untilReady(client);
    await waitFor(async () => expect(await inspector.exists(`${namespace}${name}:survivor`)).toBe(0), {
      timeoutMs: 3_000,
    });
  });

  it('starts without Redis, closes without hanging, and joins the invalidation channel once Redis is there', async () => {
    await proxy.sever();
    const b = await proxiedInstance({ connect: false });
    const name = `late-${uuidv7()}`;
    const onB = b.provider.create<string>({ name, ttlMs: 60_000 });
    expect(await onB.get('k', async () => 'loaded while down')).toBe('loaded while down');
    await expect(onB.invalidate('k')).resolves.toBeUndefined();

    await proxy.restore();
    await untilReady(b.client);
    await b.provider.listening();
    const directClient = await cacheTestRedis(redisUrl!);
    clients.push(directClient);
    const a = new TieredCacheProvider(directClient, new MetricsRegistry(), { namespace });
    providers.push(a);
    const onA = a.create<string>({ name, ttlMs: 60_000 });

    await onB.get('k', async () => 'cached on B');
    expect(onB.peek('k')).toBe('cached on B');
    await onA.invalidate('k');
    await waitFor(() => expect(onB.peek('k')).toBeUndefined(), { timeoutMs: 1_000, intervalMs: 5 });

    const closing = performance.now();
    b.provider.close();
    expect(performance.now() - closing).toBeLessThan(50);
  });

  it('pays the command timeout once when Redis hangs, then skips Redis for a while (default guard)', async () => {
    const { provider, registry } = await proxiedInstance();
    const name = `hung-${uuidv7()}`;
    const cache = provider.create<string>({ name, ttlMs: 60_000 });
    proxy.stall();

    let started = performance.now();
    expect(await cache.get('a', async () => 'loaded')).toBe('loaded');
    const first = performance.now() - started;
    expect(first).toBeGreaterThanOrEqual(COMMAND_TIMEOUT_MS - 50);
    expect(first).toBeLessThan(COMMAND_TIMEOUT_MS + 250);

    started = performance.now();
    expect(await cache.get('b', async () => 'loaded')).toBe('loaded');
    await expect(cache.invalidate('a')).resolves.toBeUndefined();
    expect(performance.now() - started).toBeLessThan(50);
    expect(await requestCounts(registry, name)).toEqual({ hit: 0, miss: 0, error: 2 });
  });

  it('behind the platform circuit breaker: fails fast once it opens, closes again when Redis answers', async () => {
    const breaker = new CircuitBreaker('redis-cache-test', {
      errorThresholdPercentage: 50,
      volumeThreshold: 2,
      rollingWindowMs: 10_000,
      resetTimeoutMs: 300,
      maxResetTimeoutMs: 300,
      callTimeoutMs: false,
    });
    const { client, provider } = await proxiedInstance({ guard: breaker });
    const cache = provider.create<string>({ name: `breaker-${uuidv7()}`, ttlMs: 60_000 });
    proxy.stall();

    await Promise.all([cache.get('a', async () => 'loaded'), cache.get('b', async () => 'loaded')]);
    expect(breaker.state).toBe('open');
    const started = performance.now();
    expect(await cache.get('c', async () => 'loaded')).toBe('loaded');
    await expect(cache.invalidate('c')).resolves.toBeUndefined();
    expect(performance.now() - started).toBeLessThan(50);

    await proxy.restore();
    await untilReady(client);
    await waitFor(
      async () => {
        await cache.get(`probe-${uuidv7()}`, async () => 'loaded');
        expect(breaker.state).toBe('closed');
      },
      { timeoutMs: 3_000, intervalMs: 100 },
    );
    await waitFor(() => expect(provider.pendingInvalidations).toBe(0));
  });
});
