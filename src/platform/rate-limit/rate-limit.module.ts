import { createHash } from 'node:crypto';
import { Module, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../../config/app-config.js';
import { RequestAuthenticator, type AuthenticatedRequest } from '../auth/request-authenticator.js';
import { RedisConnection } from '../redis/redis.module.js';
import { AUTH_RATE_LIMIT_KEY, type AuthRateLimitKey } from './auth-rate-limit.decorator.js';
import { InMemoryThrottlerStorage } from './in-memory-throttler.storage.js';
import { OrderlyThrottlerGuard } from './orderly-throttler.guard.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

const MINUTE_MS = 60_000;

/** Which body field a route's auth limit counts by; read once per handler, metadata never changes. */
const authKeys = new WeakMap<object, { key: AuthRateLimitKey | undefined }>();

function authKeyOf(reflector: Reflector, context: ExecutionContext): AuthRateLimitKey | undefined {
  const handler = context.getHandler();
  let known = authKeys.get(handler);
  if (known === undefined) {
    known = { key: reflector.get<AuthRateLimitKey | undefined>(AUTH_RATE_LIMIT_KEY, handler) };
    authKeys.set(handler, known);
  }
  return known.key;
}

/**
 * Two throttlers (SPEC §4, §4a):
 * - `default`: RATE_LIMIT_PER_MINUTE per client — the user id when the request carries a valid token, else the
 *   client IP (as far as TRUST_PROXY lets X-Forwarded-For speak; Fastify resolves `request.ip`).
 * - `auth`: AUTH_RATE_LIMIT_PER_MINUTE on routes marked `@AuthRateLimit`, per (client IP, email / token family).
 * Counters live in Redis when configured (shared by all instances), in process memory otherwise.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, RedisConnection, RequestAuthenticator, Reflector],
      useFactory: (
        config: AppConfig,
        redis: RedisConnection,
        authenticator: RequestAuthenticator,
        reflector: Reflector,
      ) => ({
        storage:
          redis.client === null
            ? new InMemoryThrottlerStorage()
            : new RedisThrottlerStorage(redis.client, config.rateLimit.failMode),
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
        ],
      }),
    }),
  ],
  providers: [OrderlyThrottlerGuard],
  exports: [OrderlyThrottlerGuard],
})
export class RateLimitModule {}
