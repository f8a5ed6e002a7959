import { MetricsRegistry } from '../metrics/metrics-registry.js';
import { TieredCacheProvider } from './tiered-cache.provider.js';

/** A promise the test resolves by hand, to hold a load in flight. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

async function requests(registry: MetricsRegistry, cache: string): Promise<Record<string, number>> {
  const metric = registry.registry.getSingleMetric('cache_requests_total');
  const { values } = await metric!.get();
  return Object.fromEntries(
    values.filter((v) => v.labels.cache === cache).map((v) => [String(v.labels.result), v.value]),
  );
}

describe('TieredCache without Redis (in-process LRU)', () => {
  let now: number;
  let registry: MetricsRegistry;
  let provider: TieredCacheProvider;

  beforeEach(() => {
    now = 1_000;
    registry = new MetricsRegistry();
    provider = new TieredCacheProvider(null, registry, { now: () => now });
  });

  it('loads once, then answers from memory', async () => {
    const cache = provider.create<{ n: number }>({ name: 'things', ttlMs: 60_000 });
    const load = vi.fn(async (key: string) => ({ n: Number(key) }));

    expect(await cache.get('1', load)).toEqual({ n: 1 });
    expect(await cache.get('1', load)).toEqual({ n: 1 });
    expect(cache.peek('1')).toEqual({ n: 1 });

    expect(load).toHaveBeenCalledTimes(1);
    expect(await requests(registry, 'things')).toEqual({ hit: 2, miss: 1, error: 0 });
  });

  it('stores values as JSON, so every profile hands out the shape Redis would', async () => {
    const cache = provider.create<{ at: unknown }>({ name: 'json', ttlMs: 60_000 });
    const value = await cache.get('k', async () => ({ at: new Date(0) }));
    expect(value).toEqual({ at: '1970-01-01T00:00:00.000Z' });
  });

  it('keeps objects as they are in a local-only cache', async () => {
    const cache = provider.create<{ at: Date }>({ name: 'objects', ttlMs: 1_000, localOnly: true });
    const at = new Date(0);
    expect((await cache.get('k', async () => ({ at })))?.at).toBe(at);
  });

  it('expires entries after the TTL', async () => {
    const cache = provider.create<string>({ name: 'short', ttlMs: 500 });
    const load = vi.fn(async () => 'v');
    await cache.get('k', load);
    now += 499;
    await cache.get('k', load);
    expect(load).toHaveBeenCalledTimes(1);
    now += 2;
    expect(cache.peek('k')).toBeUndefined();
    await cache.get('k', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('keeps the spec TTL for one process, but at most 1 s when other instances may write the database', async () => {
    const alone = provider.create<string>({ name: 'alone', ttlMs: 60_000 });
    const shared = new TieredCacheProvider(null, registry, { now: () => now, otherWriters: true }).create<string>({
      name: 'shared',
      ttlMs: 60_000,
    });
    await alone.get('k', async () => 'v');
    await shared.get('k', async () => 'v');
    now += 1_001;
    expect(alone.peek('k')).toBe('v');
    expect(shared.peek('k')).toBeUndefined();
  });

  it('is bounded by entries, dropping the least recently used', async () => {
    const cache = provider.create<string>({ name: 'bounded', ttlMs: 60_000, maxLocalEntries: 3 });
    for (const key of ['a', 'b', 'c']) await cache.get(key, async (k) => k);
    await cache.get('a', async () => 'reloaded'); // touch a: b is now the oldest
    await cache.get('d', async (k) => k);

    expect(cache.peek('b')).toBeUndefined();
    expect(['a', 'c', 'd'].map((key) => cache.peek(key))).toEqual(['a', 'c', 'd']);
  });

  it('does not cache "not found"', async () => {
    const cache = provider.create<string>({ name: 'absent', ttlMs: 60_000 });
    const load = vi.fn(async () => undefined);
    expect(await cache.get('k', load)).toBeUndefined();
    expect(await cache.get('k', load)).toBeUndefined();
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('runs one load for N concurrent gets of a key (stampede protection)', async () => {
    const cache = provider.create<string>({ name: 'hot', ttlMs: 60_000 });
    const gate = deferred<string>();
    const load = vi.fn(() => gate.promise);

    const readers = Array.from({ length: 100 }, () => cache.get('hot', load));
    gate.resolve('value');

    expect(await Promise.all(readers)).toEqual(Array.from({ length: 100 }, () => 'value'));
    expect(load).toHaveBeenCalledTimes(1);
    // The joiners are counted with the load they shared.
    expect(await requests(registry, 'hot')).toEqual({ hit: 0, miss: 100, error: 0 });
  });

  it('lets every concurrent reader see a failing load fail, and retries on the next get', async () => {
    const cache = provider.create<string>({ name: 'failing', ttlMs: 60_000 });
    const load = vi.fn().mockRejectedValueOnce(new Error('db down')).mockResolvedValueOnce('v');
    const readers = [cache.get('k', load), cache.get('k', load)];
    await expect(Promise.all(readers)).rejects.toThrow('db down');
    expect(await cache.get('k', load)).toBe('v');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('does not store a load that an invalidation overtook', async () => {
    const cache = provider.create<string>({ name: 'raced', ttlMs: 60_000 });
    const stale = deferred<string>();
    const reader = cache.get('k', () => stale.promise);

    await cache.invalidate('k'); // the write committed while the read was loading the old row
    stale.resolve('old');

    expect(await reader).toBe('old'); // that reader started before the write: it may see the old value…
    expect(cache.peek('k')).toBeUndefined(); // …but nobody after it does
    expect(await cache.get('k', async () => 'new')).toBe('new');
  });

  it('starts a fresh load for a reader arriving after an invalidation, and keeps only that one', async () => {
    const cache = provider.create<string>({ name: 'overtaken', ttlMs: 60_000 });
    const first = deferred<string>();
    const second = deferred<string>();
    const early = cache.get('k', () => first.promise);
    await cache.invalidate('k');
    const late = cache.get('k', () => second.promise);

    second.resolve('new');
    expect(await late).toBe('new');
    first.resolve('old');
    expect(await early).toBe('old');
    expect(cache.peek('k')).toBe('new');
  });

  it('invalidates several keys and only those', async () => {
    const cache = provider.create<string>({ name: 'several', ttlMs: 60_000 });
    for (const key of ['a', 'b', 'c']) await cache.get(key, async (k) => k);
    await cache.invalidate('a', 'c');
    expect(['a', 'b', 'c'].map((key) => cache.peek(key))).toEqual([undefined, 'b', undefined]);
  });

  it('refuses a duplicate or unsafe name and a non-positive TTL', () => {
    provider.create({ name: 'once', ttlMs: 1 });
    expect(() => provider.create({ name: 'once', ttlMs: 1 })).toThrow(/already defined/);
    expect(() => provider.create({ name: 'a b', ttlMs: 1 })).toThrow(/must match/);
    expect(() => provider.create({ name: 'zero', ttlMs: 0 })).toThrow(/positive/);
  });

  it('reports every series from the start', async () => {
    provider.create({ name: 'idle', ttlMs: 1 });
    expect(await requests(registry, 'idle')).toEqual({ hit: 0, miss: 0, error: 0 });
  });
});
