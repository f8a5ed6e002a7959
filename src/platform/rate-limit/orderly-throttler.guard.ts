import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { RateLimitedError } from './rate-limited.error.js';

type MetadataKey = Parameters<Reflector['getAllAndOverride']>[0];
type Targets = Parameters<Reflector['getAllAndOverride']>[1];

/**
 * Route metadata never changes after start, but ThrottlerGuard reads it through the Reflector about a dozen
 * times per request (skip, limit, ttl, block duration, tracker, key generator — per throttler). This Reflector
 * answers those reads from a per-handler memo.
 */
class MemoizedReflector extends Reflector {
  private readonly memo = new Map<MetadataKey, WeakMap<object, { value: unknown }>>();

  constructor(private readonly reflector: Reflector) {
    super();
  }

  override getAllAndOverride<T = unknown>(key: MetadataKey, targets: Targets): T {
    const handler = targets[0];
    if (handler === undefined || targets.length !== 2) return this.reflector.getAllAndOverride<T>(key, targets);
    let byHandler = this.memo.get(key);
    if (byHandler === undefined) {
      byHandler = new WeakMap();
      this.memo.set(key, byHandler);
    }
    let cached = byHandler.get(handler);
    if (cached === undefined) {
      cached = { value: this.reflector.getAllAndOverride<T>(key, targets) };
      byHandler.set(handler, cached);
    }
    return cached.value as T;
  }
}

/**
 * @nestjs/throttler's guard, answering in the catalog's shape: 429 42900 with Retry-After and the IETF
 * RateLimit-* headers (set by ApiExceptionFilter from RateLimitedError) instead of its X-prefixed ones.
 */
@Injectable()
export class OrderlyThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
  ) {
    super(options, storage, new MemoizedReflector(reflector));
  }

  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new RateLimitedError(detail.limit, Math.max(1, detail.timeToBlockExpire));
  }
}
