/**
 * The cache port (SPEC §4 "Caching", §4a "Read-your-writes"): cache-aside, Redis when configured, in-process LRU
 * otherwise. Contexts create one cache per kind of value through `CacheProvider` and invalidate it from
 * `AfterCommit` listeners, so a write has dropped its stale copies before it answers.
 */
export interface CacheSpec {
  /** Metric label (`cache_requests_total{cache}`) and Redis key prefix (`orderly:cache:<name>:<key>`). Unique. */
  readonly name: string;
  /** Lifetime of an entry: in Redis, or in process when there is no Redis (with Redis, in-process copies live ≤ 1 s). */
  readonly ttlMs: number;
  /** Bound of the in-process LRU, in entries (default 10,000). */
  readonly maxLocalEntries?: number;
  /**
   * In-process only, even when Redis is configured: entries live `min(ttlMs, 1 s)` per instance, invalidations are
   * still broadcast to the other instances. For small values read on every request (the auth principal), where a
   * Redis round trip would cost more than the database read it saves.
   */
  readonly localOnly?: boolean;
}

export interface Cache<T> {
  /**
   * Cache-aside: the cached value, else `load(key)`'s result, stored for the next reader. `undefined` (not found) is
   * never cached: wrap "not found" in a value if it should be. At most one load per key per instance at a time
   * (concurrent callers share it). Never throws because Redis is down: it falls through to `load`; the loader's own
   * errors reach the caller. Values must be JSON-safe (no Date, Map, class instances, undefined fields that matter):
   * shared caches store them as JSON, in every profile, and readers must treat them as immutable.
   */
  get(key: string, load: (key: string) => Promise<T | undefined>): Promise<T | undefined>;
  /**
   * Drops the keys from Redis and from this instance before resolving (a load in flight does not store its possibly
   * stale result afterwards); other instances' in-process copies follow within 1 s (at once when the pub/sub
   * message arrives). Never throws: a Redis DEL that fails is retried when Redis is back.
   */
  invalidate(...keys: string[]): Promise<void>;
}

/** A cache whose in-process tier can be read synchronously: the hot path of a request allocates no promise. */
export interface PeekableCache<T> extends Cache<T> {
  /** The value held in process (counted as a hit), or undefined: then call `get`. Never touches Redis. */
  peek(key: string): T | undefined;
}

/** DI token: creates caches. Provided by `CacheModule` (global). */
export abstract class CacheProvider {
  abstract create<T>(spec: CacheSpec): Cache<T>;
}
