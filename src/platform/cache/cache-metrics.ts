import type { Counter } from 'prom-client';
import type { MetricsRegistry } from '../metrics/metrics-registry.js';

/**
 * What `cache_requests_total{result}` counts, per `get` (and per `peek` that finds a value):
 * - `hit`: served from the cache — the in-process tier or Redis — without calling the loader;
 * - `miss`: the loader ran (or a concurrent caller's load in flight was joined), Redis answered "not there" or the
 *   cache has no Redis tier;
 * - `error`: the Redis tier was unavailable (not connected, command error or timeout, unreadable value, or skipped
 *   after a recent failure) and the request fell through to the loader. A Redis outage shows here, not as errors
 *   to clients.
 */
export type CacheResult = 'hit' | 'miss' | 'error';

export type CacheTally = Record<CacheResult, number>;

const RESULTS: readonly CacheResult[] = ['hit', 'miss', 'error'];

/**
 * Counts in plain numbers and hands them to Prometheus when it scrapes (`collect`), because prom-client's `inc`
 * hashes and validates its labels on every call — too much for a hit path that costs well under a microsecond.
 */
export class CacheMetrics {
  private readonly tallies = new Map<string, { readonly counted: CacheTally; readonly reported: CacheTally }>();
  private readonly counter: Counter<'cache' | 'result'>;

  constructor(registry: MetricsRegistry) {
    this.counter = registry.counter({
      name: 'cache_requests_total',
      help: 'Cache reads by cache and result: hit (cache answered), miss (loader ran), error (Redis unavailable, loader ran).',
      labelNames: ['cache', 'result'],
      collect: () => this.report(),
    });
  }

  /** The live tally of one cache: the cache increments its fields directly. */
  tally(cache: string): CacheTally {
    let entry = this.tallies.get(cache);
    if (entry === undefined) {
      entry = { counted: { hit: 0, miss: 0, error: 0 }, reported: { hit: 0, miss: 0, error: 0 } };
      this.tallies.set(cache, entry);
      // Every series exists from the start, so a hit ratio never divides by a missing series.
      for (const result of RESULTS) this.counter.inc({ cache, result }, 0);
    }
    return entry.counted;
  }

  private report(): void {
    for (const [cache, { counted, reported }] of this.tallies) {
      for (const result of RESULTS) {
        const delta = counted[result] - reported[result];
        if (delta > 0) this.counter.inc({ cache, result }, delta);
        reported[result] = counted[result];
      }
    }
  }
}
