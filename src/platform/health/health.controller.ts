import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators.js';
import { RedisConnection } from '../redis/redis.module.js';
import { ReadinessState } from './readiness-state.js';

const CHECK_TIMEOUT_MS = 1_000;

/**
 * Kubernetes probes, outside /api and not enveloped. `live` says only that the process serves requests (a
 * restart would not help a database outage); `ready` says this instance should get traffic: start-up tasks done,
 * not shutting down, database answering with every migration applied, Redis answering when configured.
 */
@ApiExcludeController()
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  private migrationsApplied = false;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly dataSource: DataSource,
    private readonly redis: RedisConnection,
    private readonly readiness: ReadinessState,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([
      () => this.indicators.check('process').up({ uptimeSeconds: Math.round(process.uptime()) }),
    ]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.startup(),
      () => this.database.pingCheck('database', { connection: this.dataSource, timeout: CHECK_TIMEOUT_MS }),
      () => this.migrations(),
      ...(this.redis.client === null ? [] : [() => this.redisPing()]),
    ]);
  }

  private startup() {
    const session = this.indicators.check('startup');
    if (this.readiness.isShuttingDown) return session.down({ message: 'shutting down' });
    const pending = this.readiness.pendingTasks;
    return pending.length > 0 ? session.down({ pending }) : session.up();
  }

  /** Once every migration is seen applied it stays so for this process (schemas do not un-migrate). */
  private async migrations() {
    const session = this.indicators.check('migrations');
    if (!this.migrationsApplied) this.migrationsApplied = !(await this.dataSource.showMigrations());
    return this.migrationsApplied ? session.up() : session.down({ message: 'pending migrations' });
  }

  private async redisPing() {
    const session = this.indicators.check('redis');
    try {
      await this.redis.client?.ping();
      return session.up();
    } catch (error) {
      return session.down({ message: (error as Error).message });
    }
  }
}
