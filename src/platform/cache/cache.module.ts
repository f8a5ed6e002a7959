import { Global, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { CircuitBreakerMetrics } from '../metrics/circuit-breaker.metrics.js';
import { MetricsRegistry } from '../metrics/metrics-registry.js';
import { RedisConnection } from '../redis/redis.module.js';
import { CircuitBreaker, type CircuitBreakerOptions } from '../resilience/circuit-breaker.js';
import { CacheProvider } from './cache.js';
import { TieredCacheProvider } from './tiered-cache.provider.js';

/**
 * The cache's breaker on Redis (`circuit_breaker_state{breaker="redis-cache"}`), SPEC §4 "Timeouts and overload":
 * half of at least 5 calls failing within 10 s opens it, and reads go straight to the database (their fallback)
 * without waiting for a command timeout; trials 1 s later, then 2 s, 4 s, at most 5 s apart. Calls time out by
 * themselves (ioredis' 500 ms command timeout). A client that is not connected is skipped before the breaker.
 */
const REDIS_CACHE_BREAKER: CircuitBreakerOptions = {
  errorThresholdPercentage: 50,
  volumeThreshold: 5,
  rollingWindowMs: 10_000,
  resetTimeoutMs: 1_000,
  maxResetTimeoutMs: 5_000,
  callTimeoutMs: false,
};

/** Closes the provider's own Redis subscriber, timers and breaker when the application shuts down. */
@Injectable()
class CacheShutdown implements OnApplicationShutdown {
  constructor(private readonly provider: TieredCacheProvider) {}

  onApplicationShutdown(): void {
    this.provider.close();
  }
}

/**
 * The cache platform (SPEC §4 Caching): cache-aside behind the `CacheProvider` port, two tiers with Redis
 * (in-process LRU ≤ 1 s + Redis, pub/sub invalidation), in-process LRU without. `TieredCacheProvider` is exported
 * too, for callers that need `PeekableCache` (a synchronous look at the in-process tier).
 */
@Global()
@Module({
  providers: [
    {
      provide: TieredCacheProvider,
      inject: [AppConfig, RedisConnection, MetricsRegistry, { token: CircuitBreakerMetrics, optional: true }],
      useFactory: (
        config: AppConfig,
        redis: RedisConnection,
        metrics: MetricsRegistry,
        breakerMetrics?: CircuitBreakerMetrics,
      ) =>
        new TieredCacheProvider(
          redis.client,
          metrics,
          redis.client === null
            ? { otherWriters: config.database.url !== undefined }
            : { guard: new CircuitBreaker('redis-cache', REDIS_CACHE_BREAKER, breakerMetrics) },
        ),
    },
    { provide: CacheProvider, useExisting: TieredCacheProvider },
    CacheShutdown,
  ],
  exports: [CacheProvider, TieredCacheProvider],
})
export class CacheModule {}
