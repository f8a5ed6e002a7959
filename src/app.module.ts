import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { CatalogModule } from './modules/catalog/catalog.module.js';
import { InventoryModule } from './modules/inventory/inventory.module.js';
import { OrderingModule } from './modules/ordering/ordering.module.js';
import { PromotionsModule } from './modules/promotions/promotions.module.js';
import { IdentityModule } from './modules/identity/identity.module.js';
import { CacheModule } from './platform/cache/cache.module.js';
import { AuthModule } from './platform/auth/auth.module.js';
import { JwtAuthGuard } from './platform/auth/jwt-auth.guard.js';
import { RolesGuard } from './platform/auth/roles.guard.js';
import { HealthModule } from './platform/health/health.module.js';
import { IdempotencyModule } from './platform/idempotency/idempotency.module.js';
import { StrictQueryGuard } from './platform/http/strict-query.guard.js';
import { LoggingModule } from './platform/logging/logging.module.js';
import { MetricsModule } from './platform/metrics/metrics.module.js';
import { MessagingModule } from './platform/messaging/messaging.module.js';
import { DatabaseModule } from './platform/persistence/database.module.js';
import { OrderlyThrottlerGuard } from './platform/rate-limit/orderly-throttler.guard.js';
import { RateLimitModule } from './platform/rate-limit/rate-limit.module.js';
import { RedisModule } from './platform/redis/redis.module.js';
import { RuntimeModule } from './platform/runtime/runtime.module.js';

/**
 * The composition root: platform modules first, then the bounded contexts. Global guards run in the order
 * listed — rate limit (per user or IP), authentication, roles, unknown-query check — so a flood is refused before
 * any work and an anonymous caller learns nothing about a route's query parameters.
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        RuntimeModule,
        LoggingModule,
        MetricsModule,
        CqrsModule.forRoot(),
        DatabaseModule,
        MessagingModule.forRoot(config),
        RedisModule,
        CacheModule,
        AuthModule.forRoot({ principals: IdentityModule }),
        RateLimitModule,
        HealthModule,
        IdempotencyModule,
        IdentityModule,
        CatalogModule,
        InventoryModule,
        OrderingModule,
        PromotionsModule,
      ],
      providers: [
        { provide: APP_GUARD, useExisting: OrderlyThrottlerGuard },
        { provide: APP_GUARD, useExisting: JwtAuthGuard },
        { provide: APP_GUARD, useExisting: RolesGuard },
        { provide: APP_GUARD, useClass: StrictQueryGuard },
      ],
    };
  }
}
