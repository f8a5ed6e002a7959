import type { Redis } from 'ioredis';
import type { MetricsRegistry } from '../metrics/metrics-registry.js';
import { CacheProvider, type CacheSpec, type PeekableCache } from './cache.js';
import { CacheMetrics } from './cache-metrics.js';
import { InvalidationBus } from './invalidation-bus.js';
import type { RedisGuard } from './redis-guard.js';
import { RedisTier } from './redis-tier.js';
import { TieredCache } from './tiered-cache.js';

/**
 * The longest an instance keeps an in-process copy when other instances can change the data (Redis configured):
 * SPEC §4a's "other instances follow within 1 s", even when the invalidation message is lost.
 */
export const MAX_LOCAL_TTL_MS = 1_000;
const DEFAULT_MAX_LOCAL_ENTRIES = 10_000;

export interface TieredCacheProviderOptions {
  /** Prefix of every Redis key and of the invalidation channel. */
  readonly namespace?: string;
  /** Time source of the in-process TTLs (tests). */
  readonly now?: () => number;
  /** Around every Redis call of the cache (a circuit breaker); default: skip Redis for 1 s after a failure. */
  readonly guard?: RedisGuard;
  /**
   * Other instances may write the same database (server profile) although there is no Redis to share copies or
   * invalidations through: in-process copies then live at most 1 s, so SPEC §4a's "other instances follow within
   * 1 s" holds without Redis too. Only the embedded profile (one process owns the database) keeps the spec's TTL.
   */
  readonly otherWriters?: boolean;
}

/**
 * `CacheProvider` for both profiles. With a Redis client: two tiers (in-process LRU with a TTL ≤ 1 s in front of
 * Redis with the spec's TTL) and cross-instance invalidation over pub/sub; `localOnly` specs keep the in-process
 * tier only but still broadcast their invalidations. Without Redis: the in-process LRU — with the spec's TTL on the
 * embedded profile (one instance, nobody else to tell), capped at 1 s when other instances may share the database.
 */
export class TieredCacheProvider extends CacheProvider {
  private readonly caches = new Map<string, TieredCache<unknown>>();
  private readonly metrics: CacheMetrics;
  private readonly namespace: string;
  private readonly tier: RedisTier | undefined;
  private readonly bus: InvalidationBus | undefined;

  constructor(
    client: Redis | null,
    registry: MetricsRegistry,
    private readonly options: TieredCacheProviderOptions = {},
  ) {
    super();
    this.metrics = new CacheMetrics(registry);
    this.namespace = options.namespace ?? 'orderly:cache:';
    if (client !== null) {
      this.tier = new RedisTier(client, this.namespace, options.guard);
      this.bus = new InvalidationBus(client, this.tier, (cache, keys) => this.caches.get(cache)?.dropRemote(keys));
    }
  }

  create<T>(spec: CacheSpec): PeekableCache<T> {
    if (this.caches.has(spec.name)) throw new Error(`cache "${spec.name}" is already defined`);
    if (!/^[A-Za-z0-9_.-]+$/.test(spec.name)) throw new Error(`cache name "${spec.name}" must match [A-Za-z0-9_.-]+`);
    if (!(spec.ttlMs > 0)) throw new Error(`cache "${spec.name}": ttlMs must be positive`);
    const shared = spec.localOnly === true ? undefined : this.tier;
    const cache = new TieredCache<T>({
      name: spec.name,
      redisPrefix: `${this.namespace}${spec.name}:`,
      sharedTtlMs: spec.ttlMs,
      localTtlMs:
        this.tier === undefined && this.options.otherWriters !== true
          ? spec.ttlMs
          : Math.min(spec.ttlMs, MAX_LOCAL_TTL_MS),
      maxLocalEntries: spec.maxLocalEntries ?? DEFAULT_MAX_LOCAL_ENTRIES,
      serialise: spec.localOnly !== true,
      shared,
      broadcast: this.bus === undefined ? undefined : (name, keys) => this.bus?.publish(name, keys),
      tally: this.metrics.tally(spec.name),
      ...(this.options.now === undefined ? {} : { now: this.options.now }),
    });
    this.caches.set(spec.name, cache as TieredCache<unknown>);
    return cache;
  }

  /** Stops the subscriber connection, the retry timer and the guard; the shared connection belongs to RedisModule. */
  close(): void {
    this.bus?.close();
    this.tier?.close();
    this.options.guard?.shutdown?.();
  }

  /** For tests: resolves once cross-instance invalidations are received. */
  async listening(): Promise<void> {
    await this.bus?.subscribed();
  }

  /** For tests and diagnostics: invalidations whose Redis DEL waits for Redis to come back. */
  get pendingInvalidations(): number {
    return this.tier?.pendingInvalidations ?? 0;
  }
}
