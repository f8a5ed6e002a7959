import { LRUCache } from 'lru-cache';
import type { PeekableCache } from './cache.js';
import type { CacheResult, CacheTally } from './cache-metrics.js';
import { UNAVAILABLE, type RedisTier } from './redis-tier.js';

/**
 * How long this instance remembers having written a key to Redis. Another instance's invalidation arriving within
 * this window may have overtaken that write (see `dropRemote`); 2 s is four command timeouts.
 */
const RECENT_WRITE_WINDOW_MS = 2_000;
const MAX_RECENT_WRITES = 10_000;

/** One load in flight for a key, shared by every concurrent caller; the callers are counted when it settles. */
interface Flight<T> {
  promise: Promise<T | undefined>;
  joiners: number;
}

export interface TieredCacheOptions {
  readonly name: string;
  /** Key prefix in Redis: `orderly:cache:<name>:`. */
  readonly redisPrefix: string;
  /** TTL of an entry in Redis. */
  readonly sharedTtlMs: number;
  /** TTL of an entry in process: ≤ 1 s when other instances may change the data (Redis configured). */
  readonly localTtlMs: number;
  readonly maxLocalEntries: number;
  /** Store values as JSON (shared caches, with or without Redis); in-process-only caches keep the object. */
  readonly serialise: boolean;
  /** The Redis tier, or undefined for an in-process cache. */
  readonly shared: RedisTier | undefined;
  /** Tells the other instances (pub/sub); undefined without Redis. */
  readonly broadcast: ((cache: string, keys: readonly string[]) => void) | undefined;
  readonly tally: CacheTally;
  /** Time source of the LRU's TTLs (tests pass a fake). */
  readonly now?: () => number;
}

/**
 * The cache behind `CacheProvider`: an in-process LRU (bounded by entries) in front of an optional Redis tier.
 *
 * Stampede protection: concurrent misses for one key on this instance share one flight (Redis read, then loader).
 * Invalidation guard: `invalidate` (local or from another instance) removes the key's flight from the map; a flight
 * stores its result only if it is still the key's current flight, so a load that began before a write never puts
 * the pre-write value back — no generation counters to grow without bound.
 */
export class TieredCache<T> implements PeekableCache<T> {
  private readonly local: LRUCache<string, T & {}>;
  private readonly flights = new Map<string, Flight<T>>();
  /** Keys this instance wrote to Redis lately, oldest first, with the time of the write. */
  private readonly recentWrites = new Map<string, number>();

  constructor(private readonly options: TieredCacheOptions) {
    this.local = new LRUCache<string, T & {}>({
      max: options.maxLocalEntries,
      ttl: options.localTtlMs,
      updateAgeOnGet: false,
      // A fake clock is read on every check; the real one is read at most once per millisecond (lru-cache's default).
      ...(options.now === undefined ? {} : { perf: { now: options.now }, ttlResolution: 0 }),
    });
  }

  get name(): string {
    return this.options.name;
  }

  peek(key: string): T | undefined {
    const value = this.local.get(key);
    if (value !== undefined) this.options.tally.hit += 1;
    return value;
  }

  get(key: string, load: (key: string) => Promise<T | undefined>): Promise<T | undefined> {
    const value = this.local.get(key);
    if (value !== undefined) {
      this.options.tally.hit += 1;
      return Promise.resolve(value);
    }
    const running = this.flights.get(key);
    if (running !== undefined) {
      running.joiners += 1;
      return running.promise;
    }
    const flight: Flight<T> = { promise: Promise.resolve(undefined), joiners: 0 };
    this.flights.set(key, flight);
    flight.promise = this.fill(key, load, flight);
    return flight.promise;
  }

  async invalidate(...keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    this.dropLocal(keys);
    const { shared, broadcast, redisPrefix } = this.options;
    // Redis first, then the message: an instance that reloads on the message must not find the old value there.
    if (shared !== undefined) await shared.remove(keys.map((key) => redisPrefix + key));
    broadcast?.(this.options.name, keys);
  }

  /** Forgets local copies and cancels the storing of loads in flight. */
  dropLocal(keys: readonly string[]): void {
    for (const key of keys) {
      this.local.delete(key);
      this.flights.delete(key);
    }
  }

  /**
   * Another instance invalidated these keys. Besides the local copies, a value this instance wrote to Redis just
   * before the message arrived may be stale: loaded before the other instance's commit, its SET can reach Redis after
   * that instance's DEL (two connections, no common order). The message left after the DEL, so a DEL sent now from
   * this connection, after our SET, settles it; without it the stale value would live for the whole Redis TTL.
   */
  dropRemote(keys: readonly string[]): void {
    this.dropLocal(keys);
    const { shared } = this.options;
    if (shared === undefined || this.recentWrites.size === 0) return;
    const now = Date.now();
    const overtaken = keys.filter((key) => now - (this.recentWrites.get(key) ?? -Infinity) <= RECENT_WRITE_WINDOW_MS);
    if (overtaken.length === 0) return;
    for (const key of overtaken) this.recentWrites.delete(key);
    void shared.remove(overtaken.map((key) => this.options.redisPrefix + key));
  }

  private async fill(key: string, load: (key: string) => Promise<T | undefined>, flight: Flight<T>) {
    let result: CacheResult = 'miss';
    const { shared } = this.options;
    try {
      if (shared !== undefined) {
        const stored = await shared.read(this.options.redisPrefix + key);
        if (stored === UNAVAILABLE) result = 'error';
        else if (stored !== null) {
          const value = parse<T>(stored);
          if (value === UNREADABLE) result = 'error';
          else {
            result = 'hit';
            if (this.flights.get(key) === flight) this.local.set(key, value as T & {});
            return value;
          }
        }
      }
      const loaded = await load(key);
      if (loaded === undefined) return undefined;
      // Shared values live as JSON, in every profile: each reader, whichever tier served it, gets the same shape,
      // and a value that is not JSON-safe shows up in the embedded profile's tests, not in production.
      const json = this.options.serialise ? JSON.stringify(loaded) : undefined;
      const value = json === undefined ? loaded : (JSON.parse(json) as T);
      if (this.flights.get(key) === flight) {
        this.local.set(key, value as T & {});
        if (shared !== undefined && json !== undefined) {
          shared.write(this.options.redisPrefix + key, json, this.options.sharedTtlMs);
          this.rememberWrite(key);
        }
      }
      return value;
    } finally {
      this.options.tally[result] += 1 + flight.joiners;
      if (this.flights.get(key) === flight) this.flights.delete(key);
    }
  }

  private rememberWrite(key: string): void {
    const now = Date.now();
    this.recentWrites.delete(key); // re-inserted last: the map stays ordered by time
    this.recentWrites.set(key, now);
    for (const [oldest, at] of this.recentWrites) {
      if (now - at <= RECENT_WRITE_WINDOW_MS && this.recentWrites.size <= MAX_RECENT_WRITES) break;
      this.recentWrites.delete(oldest);
    }
  }

  /** For tests: entries held in process. */
  get localSize(): number {
    return this.local.size;
  }
}

const UNREADABLE = Symbol('unreadable');

function parse<T>(json: string): T | typeof UNREADABLE {
  try {
    return JSON.parse(json) as T;
  } catch {
    return UNREADABLE;
  }
}
