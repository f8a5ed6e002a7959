import { Global, Logger, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { UnitOfWork } from '../../shared/application/unit-of-work.js';
import { ReadinessState } from '../health/readiness-state.js';
import { TraceContext } from '../logging/trace-context.js';
import { AfterCommit } from './after-commit.js';
import { BeforeCommit } from './before-commit.js';
import { WriteLanes } from './write-lanes.js';
import { buildDataSourceOptions } from './data-source-options.js';
import { DeadLetterOrmEntity } from './outbox/dead-letter.orm-entity.js';
import { InboxOrmEntity } from './outbox/inbox.orm-entity.js';
import { OutboxEventOrmEntity } from './outbox/outbox-event.orm-entity.js';
import { OutboxSettings } from './outbox/outbox-settings.js';
import { OutboxSignal } from './outbox/outbox-signal.js';
import { OutboxWriter } from './outbox/outbox-writer.js';
import { SlowQueryMonitor } from './slow-query-monitor.js';
import { installPoolAcquireTimeout, type CallbackPool } from './pool-acquire-timeout.js';
import { TransactionContext } from './transaction-context.js';
import { TypeOrmUnitOfWork } from './typeorm-unit-of-work.js';

const MIGRATIONS_TASK = 'migrations';

/** Outbox timings that are not worth a configuration variable each. */
const CLAIM_LEASE_MS = 30_000;
const RELAY_BATCH_SIZE = 50;

export function outboxSettingsFrom(config: AppConfig): OutboxSettings {
  return {
    brokerEnabled: config.events.brokerUrl !== undefined,
    maxAttempts: config.events.maxAttempts,
    retryBaseMs: config.events.retryBaseMs,
    pollIntervalMs: config.events.pollIntervalMs,
    claimLeaseMs: CLAIM_LEASE_MS,
    batchSize: RELAY_BATCH_SIZE,
    deliveryConcurrency: Math.max(1, Math.floor(config.database.poolSize / 2)),
    retentionMs: config.events.retentionMs,
  };
}

/**
 * The persistence platform: one DataSource for the configured profile, the transaction context, the unit of work
 * and the outbox it writes. Contexts register their ORM entities with `TypeOrmModule.forFeature` and get them
 * loaded automatically.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ ...buildDataSourceOptions(config.database), autoLoadEntities: true }),
    }),
    TypeOrmModule.forFeature([OutboxEventOrmEntity, InboxOrmEntity, DeadLetterOrmEntity]),
  ],
  providers: [
    TransactionContext,
    TraceContext,
    OutboxSignal,
    OutboxWriter,
    { provide: OutboxSettings, inject: [AppConfig], useFactory: outboxSettingsFrom },
    AfterCommit,
    BeforeCommit,
    {
      // Server profile: the relay's share of the pool (its delivery concurrency) is kept free of request writes.
      // Embedded: one connection, transactions in turn — nothing to share.
      provide: WriteLanes,
      inject: [AppConfig, OutboxSettings],
      useFactory: ({ database }: AppConfig, outbox: OutboxSettings) =>
        database.url === undefined
          ? undefined
          : new WriteLanes(Math.max(1, database.poolSize - outbox.deliveryConcurrency), database.poolAcquireTimeoutMs),
    },
    TypeOrmUnitOfWork,
    { provide: UnitOfWork, useExisting: TypeOrmUnitOfWork },
    // The monitor the data source reports slow queries to, for the metrics work (db_slow_queries_total).
    {
      provide: SlowQueryMonitor,
      inject: [DataSource, AppConfig],
      useFactory: (dataSource: DataSource, config: AppConfig) =>
        SlowQueryMonitor.of(dataSource) ?? new SlowQueryMonitor(config.database.slowQueryMs),
    },
  ],
  exports: [
    TransactionContext,
    TraceContext,
    UnitOfWork,
    TypeOrmUnitOfWork,
    AfterCommit,
    BeforeCommit,
    OutboxSignal,
    OutboxSettings,
    SlowQueryMonitor,
  ],
})
export class DatabaseModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseModule.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly readiness: ReadinessState,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.dataSource.options.type === 'mysql') {
      // TypeORM types the mysql2 pool as `any`; only its callback getConnection is touched.
      const { pool } = this.dataSource.driver as unknown as { pool: CallbackPool };
      installPoolAcquireTimeout(pool, this.config.database.poolAcquireTimeoutMs);
    }
    if (!this.config.database.migrationsRun) return;
    this.readiness.begin(MIGRATIONS_TASK);
    const applied = await this.dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0)
      this.logger.log(`applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`);
    this.readiness.complete(MIGRATIONS_TASK);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
