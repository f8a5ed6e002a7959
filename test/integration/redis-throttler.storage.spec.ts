import { Redis } from 'ioredis';
import { v7 as uuidv7 } from 'uuid';
import { DependencyUnavailableError } from '../../src/platform/resilience/dependency-unavailable.error.js';
import { RedisThrottlerStorage } from '../../src/platform/rate-limit/redis-throttler.storage.js';
import { describeProfile, testProfile } from '../support/test-profile.js';

const profile = testProfile();
const redisUrl = profile.kind === 'server' ? profile.redisUrl : undefined;

/** A client for a Redis that is not there: nothing listens on port 1. Commands fail at once (no offline queue). */
function unreachableRedis(): Redis {
  const redis = new Redis({
    host: '127.0.0.1',
    port: 1,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // Without a listener ioredis reports the refused connection as an unhandled 'error' event.
  redis.on('error', () => undefined);
  return redis;
}

describe.skipIf(redisUrl === undefined)(describeProfile('RedisThrottlerStorage against Redis'), () => {
  let redis: Redis;
  const keys: string[] = [];

  beforeAll(async () => {
    redis = new Redis(redisUrl!, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    await redis.connect();
  });

  afterAll(async () => {
    if (keys.length > 0) await redis.del(...keys.map((key) => `throttle:${key}`));
    redis?.disconnect();
  });

  function uniqueKey(): string {
    const key = `it-${uuidv7()}`;
    keys.push(key);
    return key;
  }

  it('counts 50 concurrent hits on one key atomically and blocks beyond the limit', async () => {
    const storage = new RedisThrottlerStorage(redis, 'open');
    const key = uniqueKey();
    const ttlMs = 60_000;
    const limit = 10;

    const records = await Promise.all(Array.from({ length: 50 }, () => storage.increment(key, ttlMs, limit)));

    expect(records.map((record) => record.totalHits).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 50 }, (_, index) => index + 1),
    );
    for (const record of records) {
      expect(record.isBlocked).toBe(record.totalHits > limit);
      expect(record.timeToExpire).toBeGreaterThanOrEqual(1);
      expect(record.timeToExpire).toBeLessThanOrEqual(ttlMs / 1000);
      expect(record.timeToBlockExpire).toBe(record.isBlocked ? record.timeToExpire : 0);
    }
    // The window was started once, by the first hit, and not extended by the others.
    const pttl = await redis.pttl(`throttle:${key}`);
    expect(pttl).toBeGreaterThan(ttlMs - 5_000);
    expect(pttl).toBeLessThanOrEqual(ttlMs);
  });

  it('starts a fresh window once the previous one expired', async () => {
    const storage = new RedisThrottlerStorage(redis, 'open');
    const key = uniqueKey();

    expect((await storage.increment(key, 300, 1)).totalHits).toBe(1);
    expect(await storage.increment(key, 300, 1)).toMatchObject({ totalHits: 2, isBlocked: true, timeToExpire: 1 });
    await new Promise((resolve) => setTimeout(resolve, 450));

    expect(await storage.increment(key, 300, 1)).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('keeps separate keys separate', async () => {
    const storage = new RedisThrottlerStorage(redis, 'open');
    const [first, second] = [uniqueKey(), uniqueKey()];

    await storage.increment(first, 60_000, 5);
    await storage.increment(first, 60_000, 5);

    expect((await storage.increment(second, 60_000, 5)).totalHits).toBe(1);
  });
});

describe(describeProfile('RedisThrottlerStorage without Redis'), () => {
  let redis: Redis;

  beforeEach(() => {
    redis = unreachableRedis();
  });

  afterEach(() => {
    redis.disconnect();
  });

  it('fails open: lets the request through when Redis cannot answer', async () => {
    const storage = new RedisThrottlerStorage(redis, 'open');

    const record = await storage.increment('someone', 60_000, 1);

    expect(record).toEqual({ totalHits: 0, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('fails closed: answers DependencyUnavailableError (50300) when Redis cannot answer', async () => {
    const storage = new RedisThrottlerStorage(redis, 'closed');

    const error = await storage.increment('someone', 60_000, 1).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as DependencyUnavailableError).code).toBe(50300);
    expect((error as DependencyUnavailableError).dependency).toBe('redis');
  });
});
