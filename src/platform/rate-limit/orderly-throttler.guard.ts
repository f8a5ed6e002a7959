import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { RateLimitedError } from './rate-limited.error.js';

/**
 * @nestjs/throttler's guard, answering in the catalog's shape: 429 42900 with Retry-After and the IETF
 * RateLimit-* headers (set by ApiExceptionFilter from RateLimitedError) instead of its X-prefixed ones.
 */
@Injectable()
export class OrderlyThrottlerGuard extends ThrottlerGuard {
  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new RateLimitedError(detail.limit, Math.max(1, detail.timeToBlockExpire));
  }
}
