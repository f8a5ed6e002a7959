import { Controller, Get, Optional, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { Public } from '../auth/auth.decorators.js';
import { BrokerRelay } from '../messaging/broker/broker-relay.js';
import { RedisConnection } from '../redis/redis.module.js';
import { ReadinessState } from './readiness-state.js';

const CHECK_TIMEOUT_MS = 1_000;

type DependencyReport = Record<string, { status: 'up' | 'down'; message?: string }>;

/**
 * Kubernetes probes, outside /api and not enveloped. `live` says only that the process serves requests (a
 * restart would not help a database outage). `ready` says this instance should get traffic, and fails (503) only
 * for what makes *this* instance unable to serve (SPEC §4 Health): start-up tasks running, shutdown, the database
 * unreachable or not migrated — and Redis when RATE_LIMIT_FAIL_MODE=closed, since every rate-limited request is
 * then refused. Dependencies the service degrades around (Redis failing open, the broker) are reported `down` in
 * the body while the answer stays 200: every replica shares them, so failing readiness on them would take all
 * replicas out of the load balancer and turn a degradation into an outage.
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
    private readonly config: AppConfig,
    @Optional() private readonly broker?: BrokerRelay,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([
      () => this.indicators.check('process').up({ uptimeSeconds: Math.round(process.uptime()) }),
    ]);
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    const redisDecides = this.redis.client !== null && this.config.rateLimit.failMode === 'closed';
    const [degradable, result] = await Promise.all([
      this.degradableDependencies(!redisDecides),
      this.health
        .check([
          () => this.startup(),
          () => this.database.pingCheck('database', { connection: this.dataSource, timeout: CHECK_TIMEOUT_MS }),
          () => this.migrations(),
          ...(redisDecides ? [() => this.redisPing()] : []),
        ])
        .catch((error: unknown) => {
          if (!(error instanceof ServiceUnavailableException)) throw error;
          void reply.status(503);
          return error.getResponse() as HealthCheckResult;
        }),
    ]);
    return { ...result, details: { ...result.details, ...degradable } };
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

  private async redisPing(): Promise<HealthIndicatorResult> {
    const session = this.indicators.check('redis');
    const failure = await this.redisFailure();
    return failure === undefined ? session.up() : session.down({ message: failure });
  }

  /** Reported, never deciding: Redis when rate limiting fails open, and the broker. */
  private async degradableDependencies(includeRedis: boolean): Promise<DependencyReport> {
    const report: DependencyReport = {};
    const checks: Promise<void>[] = [];
    if (includeRedis && this.redis.client !== null) {
      checks.push(
        this.redisFailure().then((failure) => {
          report.redis = failure === undefined ? { status: 'up' } : { status: 'down', message: failure };
        }),
      );
    }
    if (this.broker?.enabled === true) {
      checks.push(
        withTimeout(this.broker.reachable(), false).then((reachable) => {
          report.broker = reachable === true ? { status: 'up' } : { status: 'down', message: 'unreachable' };
        }),
      );
    }
    await Promise.all(checks);
    return report;
  }

  private async redisFailure(): Promise<string | undefined> {
    try {
      await this.redis.client?.ping();
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }
}

function withTimeout<T>(promise: Promise<T>, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), CHECK_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
