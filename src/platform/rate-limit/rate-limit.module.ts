import { createHash } from 'node:crypto';
import { Module, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../../config/app-config.js';
import { RequestAuthenticator, type AuthenticatedRequest } from '../auth/request-authenticator.js';
import { CircuitBreakerMetrics } from '../metrics/circuit-breaker.metrics.js';
import { RedisConnection } from '../redis/redis.module.js';
import { CircuitBreaker, type CircuitBreakerOptions } from '../resilience/circuit-breaker.js';
import {
  AUTH_RATE_LIMIT_KEY,
  USER_ATTEMPT_LIMIT,
  USER_ATTEMPT_LIMIT_KEY,
  type AuthRateLimitKey,
} from './auth-rate-limit.decorator.js';
import { BatchedRedisThrottlerStorage, SYNC_INTERVAL_MS } from './batched-redis-throttler.storage.js';
import { InMemoryThrottlerStorage } from './in-memory-throttler.storage.js';
import { OrderlyThrottlerGuard } from './orderly-throttler.guard.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

const MINUTE_MS = 60_000;

/**
 * The rate limiter's breaker on Redis (`circuit_breaker_state{breaker="redis-rate-limit"}`): half of at least 5
 * calls failing within 10 s opens it; the first trial comes 1 s later, then 2 s, 4 s, at most 5 s apart, so the
 * limiter is back on Redis within ~5 s of its return. Calls time out by themselves (ioredis' command timeout).
 */
const REDIS_BREAKER: CircuitBreakerOptions = {
  errorThresholdPercentage: 50,
  volumeThreshold: 5,
  rollingWindowMs: 10_000,
  resetTimeoutMs: 1_000,
  maxResetTimeoutMs: 5_000,
  callTimeoutMs: false,
};

/** A route's rate-limit metadata, read once per handler and key: route metadata never changes after start. */
const routeMetadata = new Map<string, WeakMap<object, { value: unknown }>>();

function metadataOf<T>(reflector: Reflector, context: ExecutionContext, key: string): T | undefined {
  const handler = context.getHandler();
  let byHandler = routeMetadata.get(key);
  if (byHandler === undefined) {
    byHandler = new WeakMap();
    routeMetadata.set(key, byHandler);
  }
  let known = byHandler.get(handler);
  if (known === undefined) {
    known = { value: reflector.get<T | undefined>(key, handler) };
    byHandler.set(handler, known);
  }
  return known.value as T | undefined;
}

const authKeyOf = (reflector: Reflector, context: ExecutionContext) =>
  metadataOf<AuthRateLimitKey>(reflector, context, AUTH_RATE_LIMIT_KEY);

/**
 * Three throttlers (SPEC §4, §4a), sharing one storage, one guard and one 429 answer:
 * - `default`: RATE_LIMIT_PER_MINUTE per client — the user id when the request carries a valid token, else the
 *   client IP (as far as TRUST_PROXY lets X-Forwarded-For speak; Fastify resolves `request.ip`).
 * - `auth`: AUTH_RATE_LIMIT_PER_MINUTE on routes marked `@AuthRateLimit`, per (client IP, email / token family).
 * - `user-attempts`: USER_ATTEMPT_LIMIT on routes marked `@UserAttemptLimit` (password change), per user id alone.
 * Counters live in Redis when configured (shared by all instances), in process memory otherwise. With Redis, hits
 * are counted here and synced in batches (BatchedRedisThrottlerStorage: at most B = ⌊1 % of the limit⌋ ≤ 64 hits per
 * key ahead of Redis, exact below 200 per window), so a hot client costs one round trip per batch, not per request.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [
        AppConfig,
        RedisConnection,
        RequestAuthenticator,
        Reflector,
        { token: CircuitBreakerMetrics, optional: true },
      ],
      useFactory: (
        config: AppConfig,
        redis: RedisConnection,
        authenticator: RequestAuthenticator,
        reflector: Reflector,
        breakerMetrics?: CircuitBreakerMetrics,
      ) => ({
        storage: (() => {
          if (redis.client === null) return new InMemoryThrottlerStorage();
          const breaker = new CircuitBreaker('redis-rate-limit', REDIS_BREAKER, breakerMetrics);
          const { failMode } = config.rateLimit;
          return new BatchedRedisThrottlerStorage(
            new RedisThrottlerStorage(redis.client, failMode, breaker),
            redis.client,
            failMode,
            Date.now,
            SYNC_INTERVAL_MS,
            breaker,
          );
        })(),
        setHeaders: false,
        throttlers: [
          {
            name: 'default',
            ttl: MINUTE_MS,
            limit: config.rateLimit.perMinute,
            getTracker: (request: Record<string, unknown>) => {
              const subject = authenticator.subjectOf(request as unknown as AuthenticatedRequest);
              return subject === undefined ? `ip:${(request as unknown as FastifyRequest).ip}` : `user:${subject}`;
            },
            // One budget per client across all routes (the library's default key is per route).
            generateKey: (_context: ExecutionContext, tracker: string) => `default:${tracker}`,
          },
          {
            name: 'auth',
            ttl: MINUTE_MS,
            limit: config.rateLimit.authPerMinute,
            skipIf: (context: ExecutionContext) => authKeyOf(reflector, context) === undefined,
            getTracker: (request: Record<string, unknown>, context: ExecutionContext) => {
              const body = ((request as unknown as FastifyRequest).body ?? {}) as Record<string, unknown>;
              const key = authKeyOf(reflector, context)?.(body) ?? '';
              // Hashed: the key holds emails, which do not belong in Redis in clear text.
              const digest = createHash('sha256').update(key.trim().toLowerCase()).digest('base64url').slice(0, 22);
              return `${(request as unknown as FastifyRequest).ip}:${digest}`;
            },
            generateKey: (context: ExecutionContext, tracker: string) =>
              `auth:${context.getClass().name}.${context.getHandler().name}:${tracker}`,
          },
          {
            name: 'user-attempts',
            ttl: USER_ATTEMPT_LIMIT.windowMs,
            limit: USER_ATTEMPT_LIMIT.attempts,
            skipIf: (context: ExecutionContext) =>
              metadataOf<boolean>(reflector, context, USER_ATTEMPT_LIMIT_KEY) !== true ||
              authenticator.subjectOf(context.switchToHttp().getRequest<AuthenticatedRequest>()) === undefined,
            getTracker: (request: Record<string, unknown>) =>
              `user:${authenticator.subjectOf(request as unknown as AuthenticatedRequest) ?? ''}`,
            generateKey: (context: ExecutionContext, tracker: string) =>
              `user-attempts:${context.getClass().name}.${context.getHandler().name}:${tracker}`,
          },
        ],
      }),
    }),
  ],
  providers: [OrderlyThrottlerGuard],
  exports: [OrderlyThrottlerGuard],
})
export class RateLimitModule {}
