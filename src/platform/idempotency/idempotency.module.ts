import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { IdempotencyPruner } from './idempotency-pruner.js';
import { IdempotencyRecordOrmEntity } from './idempotency-record.orm-entity.js';
import { DEFAULT_IDEMPOTENCY_SETTINGS, IdempotencySettings } from './idempotency-settings.js';
import { IdempotencyStore } from './idempotency-store.js';
import { IdempotentRequests } from './idempotent-request.js';

/**
 * The `Idempotency-Key` platform (SPEC §4). Global because `@Idempotent()` names the interceptor class, which Nest
 * instantiates in the module of each controller that uses it: its dependencies must be visible from every module.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([IdempotencyRecordOrmEntity])],
  providers: [
    IdempotencyStore,
    IdempotentRequests,
    IdempotencyInterceptor,
    IdempotencyPruner,
    { provide: IdempotencySettings, useValue: DEFAULT_IDEMPOTENCY_SETTINGS },
  ],
  exports: [IdempotencyStore, IdempotentRequests, IdempotencyInterceptor, IdempotencySettings, IdempotencyPruner],
})
export class IdempotencyModule {}
