import { Redis, type RedisOptions } from 'ioredis';
import type { MetricsRegistry } from '../../src/platform/metrics/metrics-registry.js';
import { testProfile } from '../support/test-profile.js';

/** Helpers of the cache platform's integration tests (cache-redis*.spec.ts). */

const profile = testProfile();
/** The profile's Redis (`TEST_REDIS_URL`), undefined on the embedded profile: the Redis suites skip then. */
export const redisUrl = profile.kind === 'server' ? profile.redisUrl : undefined;

export const COMMAND_TIMEOUT_MS = 500;

/**
 * A connection configured like RedisModule's (no offline queue, 500 ms command timeout, one retry per request),
 * so the cache meets in tests the client it gets in production; `port` points it at a proxy.
 */
export async function cacheTestRedis(url: string, port?: number): Promise<Redis> {
  const client = new Redis(connectionOptions(url, port));
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** RedisModule's options for `url`, or for a proxy on `port` in front of it (ioredis lets a URL's address win). */
export function connectionOptions(url: string, port?: number): RedisOptions {
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

export async function requestCounts(registry: MetricsRegistry, cache: string): Promise<Record<string, number>> {
  const metric = registry.registry.getSingleMetric('cache_requests_total');
  const { values } = await metric!.get();
  return Object.fromEntries(
    values.filter((v) => v.labels.cache === cache).map((v) => [String(v.labels.result), v.value]),
  );
}

/** Retries `assertion` until it passes or `timeoutMs` is over (then its last failure is thrown). */
export async function waitFor(
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
