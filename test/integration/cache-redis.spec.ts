import type { Redis } from 'ioredis';
import { v7 as uuidv7 } from 'uuid';
import { TieredCacheProvider } from '../../src/platform/cache/tiered-cache.provider.js';
import { MetricsRegistry } from '../../src/platform/metrics/metrics-registry.js';
import { describeProfile } from '../support/test-profile.js';
import { cacheTestRedis, redisUrl, requestCounts, waitFor } from './cache-test-support.js';

interface Product {
  readonly id: string;
  readonly name: string;
  readonly price: { readonly amount: number; readonly currency: string };
}

describe.skipIf(redisUrl === undefined)(describeProfile('cache platform against Redis'), () => {
  // Each test file has its own namespace in Redis, so it never touches another test's (or anyone's) keys.
  const namespace = `orderly-test:cache:${uuidv7()}:`;
  const clients: Redis[] = [];
  const providers: TieredCacheProvider[] = [];
  let inspector: Redis;

  /** One "instance": its own Redis connection (configured like RedisModule's) and its own provider. */
  async function instance(registry = new MetricsRegistry()) {
    const client = await cacheTestRedis(redisUrl!);
    clients.push(client);
    const provider = new TieredCacheProvider(client, registry, { namespace });
    providers.push(provider);
    await provider.listening();
    return { client, provider, registry };
  }

  beforeAll(async () => {
    inspector = await cacheTestRedis(redisUrl!);
  });

  afterAll(async () => {
    providers.forEach((provider) => provider.close());
    const keys = await inspector.keys(`${namespace}*`);
    if (keys.length > 0) await inspector.del(...keys);
    for (const client of [...clients, inspector]) client.disconnect();
  });

  it('stores a loaded value in Redis as JSON with the TTL, and serves the next instance from there', async () => {
    const a = await instance();
    const b = await instance();
    const name = `round-trip-${uuidv7()}`;
    const onA = a.provider.create<Product>({ name, ttlMs: 60_000 });
    const onB = b.provider.create<Product>({ name, ttlMs: 60_000 });
    const product: Product = { id: 'p1', name: 'Lamp', price: { amount: 1999, currency: 'EUR' } };

    expect(await onA.get('p1', async () => product)).toEqual(product);
    await waitFor(async () => expect(await inspector.get(`${namespace}${name}:p1`)).not.toBeNull());
    expect(JSON.parse((await inspector.get(`${namespace}${name}:p1`))!)).toEqual(product);
    const ttl = await inspector.pttl(`${namespace}${name}:p1`);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);

    const loadOnB = vi.fn(async () => undefined);
    expect(await onB.get('p1', loadOnB)).toEqual(product);
    expect(loadOnB).not.toHaveBeenCalled();
    expect(await requestCounts(b.registry, name)).toEqual({ hit: 1, miss: 0, error: 0 });
    expect(await requestCounts(a.registry, name)).toEqual({ hit: 0, miss: 1, error: 0 });
  });

  it('lets entries expire in Redis after the TTL', async () => {
    const { provider } = await instance();
    const name = `expiry-${uuidv7()}`;
    const cache = provider.create<string>({ name, ttlMs: 300 });
    await cache.get('k', async () => 'v');
    await waitFor(async () => expect(await inspector.get(`${namespace}${name}:k`)).toBe('"v"'));
    await waitFor(async () => expect(await inspector.exists(`${namespace}${name}:k`)).toBe(0), { timeoutMs: 2_000 });
    const load = vi.fn(async () => 'fresh');
    await new Promise((resolve) => setTimeout(resolve, 350)); // the in-process copy (TTL 300 ms) is gone too
    expect(await cache.get('k', load)).toBe('fresh');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('does not store "not found" in Redis', async () => {
    const { provider } = await instance();
    const name = `absent-${uuidv7()}`;
    const cache = provider.create<string>({ name, ttlMs: 60_000 });
    expect(await cache.get('k', async () => undefined)).toBeUndefined();
    expect(await inspector.exists(`${namespace}${name}:k`)).toBe(0);
  });

  it('invalidate removes the key from Redis before it resolves, and instance B drops its copy within 1 s', async () => {
    const a = await instance();
    const b = await instance();
    const name = `cross-${uuidv7()}`;
    const onA = a.provider.create<string>({ name, ttlMs: 60_000 });
    const onB = b.provider.create<string>({ name, ttlMs: 60_000 });
    await onA.get('k', async () => 'old');
    await waitFor(async () => expect(await inspector.get(`${namespace}${name}:k`)).toBe('"old"'));
    expect(await onB.get('k', async () => 'unused')).toBe('old'); // B holds an in-process copy now
    expect(onB.peek('k')).toBe('old');

    const invalidated = performance.now();
    await onA.invalidate('k');
    expect(await inspector.exists(`${namespace}${name}:k`)).toBe(0);
    expect(onA.peek('k')).toBeUndefined();

    await waitFor(() => expect(onB.peek('k')).toBeUndefined(), { timeoutMs: 1_000, intervalMs: 5 });
    // Normally at once, by the pub/sub message, not by the 1-second local TTL.
    expect(performance.now() - invalidated).toBeLessThan(500);
    expect(await onB.get('k', async () => 'new')).toBe('new');
  });

  it('deletes its own recent write again when another instance invalidates the key (a SET that overtook the DEL)', async () => {
    const b = await instance();
    const name = `overtaken-${uuidv7()}`;
    const onB = b.provider.create<string>({ name, ttlMs: 60_000 });
    const key = `${namespace}${name}:k`;
    await onB.get('k', async () => 'loaded before the write committed');
    await waitFor(async () => expect(await inspector.exists(key)).toBe(1));
    // Instance A committed, deleted the key and published; B's SET reached Redis after A's DEL. The message arrives:
    const db = Number(new URL(redisUrl!).pathname.slice(1) || 0);
    await inspector.publish(`${namespace}invalidations:${db}`, JSON.stringify({ i: 'instance-a', c: name, k: ['k'] }));

    await waitFor(async () => expect(await inspector.exists(key)).toBe(0), { timeoutMs: 1_000, intervalMs: 5 });
    expect(onB.peek('k')).toBeUndefined();
  });

  it('keeps a local-only cache out of Redis, yet tells the other instances', async () => {
    const a = await instance();
    const b = await instance();
    const name = `local-${uuidv7()}`;
    const onA = a.provider.create<string>({ name, ttlMs: 60_000, localOnly: true });
    const onB = b.provider.create<string>({ name, ttlMs: 60_000, localOnly: true });
    await onA.get('k', async () => 'a');
    await onB.get('k', async () => 'b');
    expect(await inspector.exists(`${namespace}${name}:k`)).toBe(0);

    await onA.invalidate('k');
    await waitFor(() => expect(onB.peek('k')).toBeUndefined(), { timeoutMs: 1_000, intervalMs: 5 });
  });

  it('caps the in-process copy at 1 s when Redis is configured, whatever the spec TTL', async () => {
    let now = 1_000; // lru-cache treats a start time of 0 as "no TTL"
    const client = await cacheTestRedis(redisUrl!);
    clients.push(client);
    const provider = new TieredCacheProvider(client, new MetricsRegistry(), { namespace, now: () => now });
    providers.push(provider);
    const cache = provider.create<string>({ name: `capped-${uuidv7()}`, ttlMs: 60_000, localOnly: true });
    await cache.get('k', async () => 'v');
    now += 999;
    expect(cache.peek('k')).toBe('v');
    now += 2;
    expect(cache.peek('k')).toBeUndefined();
  });

  it('runs one load for 200 concurrent gets of a missing key, and one Redis read', async () => {
    const { provider, registry } = await instance();
    const name = `stampede-${uuidv7()}`;
    const cache = provider.create<string>({ name, ttlMs: 60_000 });
    const load = vi.fn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return 'v';
    });
    const values = await Promise.all(Array.from({ length: 200 }, () => cache.get('hot', load)));
    expect(new Set(values)).toEqual(new Set(['v']));
    expect(load).toHaveBeenCalledTimes(1);
    expect(await requestCounts(registry, name)).toEqual({ hit: 0, miss: 200, error: 0 });
  });

  it('does not write a load overtaken by an invalidation to Redis', async () => {
    const { provider } = await instance();
    const name = `raced-${uuidv7()}`;
    const cache = provider.create<string>({ name, ttlMs: 60_000 });
    let release!: (value: string) => void;
    const reader = cache.get('k', () => new Promise<string>((resolve) => (release = resolve)));
    await waitFor(() => expect(release).toBeDefined());
    await cache.invalidate('k');
    release('stale');
    expect(await reader).toBe('stale');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await inspector.exists(`${namespace}${name}:k`)).toBe(0);
    expect(cache.peek('k')).toBeUndefined();
  });
});
