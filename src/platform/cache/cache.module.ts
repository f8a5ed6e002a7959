import { Global, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { MetricsRegistry } from '../metrics/metrics-registry.js';
import { RedisConnection } from '../redis/redis.module.js';
import { CacheProvider } from './cache.js';
import { TieredCacheProvider } from './tiered-cache.provider.js';

/** Closes the provider's own Redis subscriber and timers when the application shuts down. */
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
      inject: [RedisConnection, MetricsRegistry],
      useFactory: (redis: RedisConnection, metrics: MetricsRegistry) => new TieredCacheProvider(redis.client, metrics),
    },
    { provide: CacheProvider, useExisting: TieredCacheProvider },
    CacheShutdown,
  ],
  exports: [CacheProvider, TieredCacheProvider],
})
export class CacheModule {}
