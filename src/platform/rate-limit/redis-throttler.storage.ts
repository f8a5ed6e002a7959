import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import type { RateLimitFailMode } from '../../config/app-config.js';
import type { CircuitBreaker } from '../resilience/circuit-breaker.js';
import { DependencyUnavailableError } from '../resilience/dependency-unavailable.error.js';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Fixed-window counter in one atomic round trip: INCR, start the window on the first hit, read what is left.
 * Every instance shares the counters, so a limit holds across the whole deployment.
 */
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {hits, ttl}
`;

/**
 * @nestjs/throttler storage on Redis (no maintained one supports Nest 12). When Redis cannot answer, the
 * configured fail mode decides: `open` lets the request through (availability first), `closed` answers 503.
 * With a circuit breaker (the rate limiter's, shared with BatchedRedisThrottlerStorage), an open breaker takes the
 * same fallback without calling Redis: no command and no wait for the command timeout while Redis is known bad.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(RedisThrottlerStorage.name);
  private lastWarningAt = 0;

  constructor(
    private readonly redis: Redis,
    private readonly failMode: RateLimitFailMode,
    private readonly breaker?: CircuitBreaker,
  ) {
    this.redis.defineCommand('orderlyThrottle', { numberOfKeys: 1, lua: INCREMENT });
  }

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const client = this.redis as Redis & { orderlyThrottle(key: string, ttl: number): Promise<[number, number]> };
    const call = () => client.orderlyThrottle(`throttle:${key}`, ttl);
    try {
      const [hits, remainingMs] = await (this.breaker === undefined ? call() : this.breaker.run(call));
      const seconds = Math.max(1, Math.ceil(remainingMs / 1000));
      return {
        totalHits: hits,
        timeToExpire: seconds,
        isBlocked: hits > limit,
        timeToBlockExpire: hits > limit ? seconds : 0,
      };
    } catch (error) {
      if (Date.now() - this.lastWarningAt > 10_000) {
        // An outage would otherwise log one line per request.
        this.lastWarningAt = Date.now();
        this.logger.warn(`rate limiting without Redis (fail ${this.failMode}): ${(error as Error).message}`);
      }
      if (this.failMode === 'closed') {
        throw new DependencyUnavailableError('redis', 'rate limiter unavailable', { cause: error });
      }
      return { totalHits: 0, timeToExpire: Math.ceil(ttl / 1000), isBlocked: false, timeToBlockExpire: 0 };
    }
  }
}
