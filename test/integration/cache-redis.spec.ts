import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import { v7 as uuidv7 } from 'uuid';
import { MetricsRegistry } from '../../src/platform/metrics/metrics-registry.js';
import { TieredCacheProvider } from '../../src/platform/cache/tiered-cache.provider.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { describeProfile, testProfile } from '../support/test-profile.js';

const profile = testProfile();
const redisUrl = profile.kind === 'server' ? profile.redisUrl : undefined;

const COMMAND_TIMEOUT_MS = 500;

/**
 * A connection configured like RedisModule's (no offline queue, 500 ms command timeout, one retry per request),
 * so the cache meets in tests the client it gets in production; `port` points it at a proxy.
 */
async function cacheTestRedis(url: string, port?: number): Promise<Redis> {
  const client = new Redis(connectionOptions(url, port));
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** RedisModule's options for `url`, or for a proxy on `port` in front of it (ioredis lets a URL's address win). */
function connectionOptions(url: string, port?: number): RedisOptions {
  const parsed = new URL(url);
  return {
    host: port === undefined ? parsed.hostname : '127.0.0.1',
    port: port ?? Number(parsed.port || 6379),
    db: Number(parsed.pathname.slice(1) || 0),
    lazyConnect: true,
    enableOfflineQueue: false,
    enableAutoPipelining: false,
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 50, 200),
  };
}

async function requestCounts(registry: MetricsRegistry, cache: string): Promise<Record<string, number>> {
  const metric = registry.registry.getSingleMetric('cache_requests_total');
  const { values } = await metric!.get();
  return Object.fromEntries(
    values.filter((v) => v.labels.cache === cache).map((v) => [String(v.labels.result), v.value]),
  );
}

/** Retries `assertion` until it passes or `timeoutMs` is over (then its last failure is thrown). */
async function waitFor(
  assertion: () => unknown,
  { timeoutMs = 5_000, intervalMs = 20 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

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

/**
 * Forwards to Redis until frozen; frozen, it swallows what clients send and answers nothing while keeping the
 * connections open: a hung Redis (or a black-holed network), which only the command timeout detects.
 */
class FreezableProxy {
  private server: Server | undefined;
  private frozen = false;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly host: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, this.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => socket.destroy());
      }
      client.on('data', (chunk) => void (this.frozen || upstream.write(chunk)));
      upstream.on('data', (chunk) => void (this.frozen || client.write(chunk)));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  freeze(frozen = true): void {
    this.frozen = frozen;
  }

  stop(): void {
    this.server?.close();
    for (const socket of this.sockets) socket.destroy();
  }
}

describe.skipIf(redisUrl === undefined)(describeProfile('cache platform with a stopped Redis'), () => {
  const namespace = `orderly-test:cache:${uuidv7()}:`;
  const target = redisUrl === undefined ? undefined : new URL(redisUrl);
  const clients: Redis[] = [];
  const providers: TieredCacheProvider[] = [];
  let inspector: Redis;
  let proxy: TcpProxy;

  /** An instance whose connections go through the proxy (the subscriber's too: duplicate() keeps the address). */
  async function proxiedInstance(options: { connect?: boolean } = {}) {
    const client = new Redis(connectionOptions(redisUrl!, proxy.port));
    client.on('error', () => undefined);
    clients.push(client);
    const connected = client.connect().catch(() => undefined);
    if (options.connect !== false) await connected;
    const registry = new MetricsRegistry();
    const provider = new TieredCacheProvider(client, registry, { namespace });
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

  it('pays the command timeout once when Redis hangs, then skips Redis for a while', async () => {
    const frozen = await new FreezableProxy(target!.hostname, Number(target!.port || 6379)).start();
    try {
      const client = await cacheTestRedis(redisUrl!, frozen.port);
      clients.push(client);
      const registry = new MetricsRegistry();
      const provider = new TieredCacheProvider(client, registry, { namespace });
      providers.push(provider);
      const name = `hung-${uuidv7()}`;
      const cache = provider.create<string>({ name, ttlMs: 60_000 });
      frozen.freeze();

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
    } finally {
      frozen.stop();
    }
  });
});
