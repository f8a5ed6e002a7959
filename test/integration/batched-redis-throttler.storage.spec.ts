import { Redis } from 'ioredis';
import { v7 as uuidv7 } from 'uuid';
import {
  BatchedRedisThrottlerStorage,
  MAX_BATCH,
  batchSizeFor,
} from '../../src/platform/rate-limit/batched-redis-throttler.storage.js';
import { RedisThrottlerStorage } from '../../src/platform/rate-limit/redis-throttler.storage.js';
import { DependencyUnavailableError } from '../../src/platform/resilience/dependency-unavailable.error.js';
import { describeProfile, testProfile } from '../support/test-profile.js';

const profile = testProfile();
const redisUrl = profile.kind === 'server' ? profile.redisUrl : undefined;

describe(describeProfile('batchSizeFor: how many hits an instance may count ahead of Redis'), () => {
  it('is 1 % of the limit, at least 1 (exact below 200 per window) and at most 64', () => {
    expect([1, 5, 10, 100, 199].map(batchSizeFor)).toEqual([1, 1, 1, 1, 1]);
    expect([200, 600, 1000, 6_399].map(batchSizeFor)).toEqual([2, 6, 10, 63]);
    expect([6_400, 100_000, 100_000_000].map(batchSizeFor)).toEqual([MAX_BATCH, MAX_BATCH, MAX_BATCH]);
  });
});

describe.skipIf(redisUrl === undefined)(describeProfile('BatchedRedisThrottlerStorage against Redis'), () => {
  let redis: Redis;
  const keys: string[] = [];
  const storages: BatchedRedisThrottlerStorage[] = [];

  beforeAll(async () => {
    redis = await connect();
  });

  afterAll(async () => {
    for (const storage of storages) storage.onApplicationShutdown();
    if (keys.length > 0) await redis.del(...keys.map((key) => `throttle:${key}`));
    redis?.disconnect();
  });

  async function connect(): Promise<Redis> {
    const client = new Redis(redisUrl!, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }

  function storageOn(client: Redis, failMode: 'open' | 'closed' = 'open', syncIntervalMs = 60_000) {
    const storage = new BatchedRedisThrottlerStorage(
      new RedisThrottlerStorage(client, failMode),
      client,
      failMode,
      Date.now,
      syncIntervalMs,
    );
    storages.push(storage);
    return storage;
  }

  function uniqueKey(): string {
    const key = `it-batched-${uuidv7()}`;
    keys.push(key);
    return key;
  }

  const shared = async (key: string) => Number((await redis.get(`throttle:${key}`)) ?? 0);

  it('on one instance, admits exactly the limit, counting every hit once, while syncing only in batches', async () => {
    const storage = storageOn(redis);
    const key = uniqueKey();
    const limit = 1_000; // B = 10
    const totals: number[] = [];
    let admitted = 0;
    for (let hit = 0; hit < 1_200; hit++) {
      const record = await storage.increment(key, 60_000, limit);
      totals.push(record.totalHits);
      if (!record.isBlocked) admitted++;
      else expect(record.timeToBlockExpire).toBeGreaterThan(0);
    }
    expect(admitted).toBe(limit);
    expect(totals).toEqual(Array.from({ length: 1_200 }, (_, index) => index + 1));
    // Redis lags by at most B hits, and has them all after a sync.
    expect(1_200 - (await shared(key))).toBeLessThanOrEqual(batchSizeFor(limit));
    await storage.syncNow();
    expect(await shared(key)).toBe(1_200);
    expect(storage.unsyncedHits()).toBe(0);
  });

  it('across three instances under concurrent load, admits between the limit and limit + (N − 1) × B', async () => {
    const clients = [redis, await connect(), await connect()];
    const instances = clients.map((client) => storageOn(client));
    const key = uniqueKey();
    const limit = 600; // B = 6
    const bound = limit + (instances.length - 1) * batchSizeFor(limit);
    let admitted = 0;
    // 30 waves of 30 concurrent hits spread over the instances: 900 attempts for a budget of 600.
    for (let wave = 0; wave < 30; wave++) {
      const records = await Promise.all(
        Array.from({ length: 30 }, (_, index) =>
          instances[(wave + index) % instances.length].increment(key, 60_000, limit),
        ),
      );
      admitted += records.filter((record) => !record.isBlocked).length;
      // No instance ever runs more than B hits ahead of Redis.
      for (const instance of instances) expect(instance.unsyncedHits()).toBeLessThanOrEqual(batchSizeFor(limit));
    }
    expect(admitted).toBeGreaterThanOrEqual(limit);
    expect(admitted).toBeLessThanOrEqual(bound);
    await Promise.all(instances.map((instance) => instance.syncNow()));
    expect(await shared(key)).toBe(900);
    for (const client of clients.slice(1)) client.disconnect();
  });

  it('an instance that sees another one spend the budget blocks after at most B more hits', async () => {
    const [first, second] = [storageOn(redis), storageOn(await connect())];
    const key = uniqueKey();
    const limit = 1_000; // B = 10
    await second.increment(key, 60_000, limit); // the second instance knows the window (shared count 1)
    for (let hit = 0; hit < 1_100; hit++) await first.increment(key, 60_000, limit);
    await first.syncNow();
    let admittedBySecond = 0;
    for (let hit = 0; hit < 50; hit++) if (!(await second.increment(key, 60_000, limit)).isBlocked) admittedBySecond++;
    expect(admittedBySecond).toBeLessThanOrEqual(batchSizeFor(limit));
  });

  it('sends a slow key to Redis on the sync interval, without waiting for a full batch', async () => {
    const storage = storageOn(redis, 'open', 50);
    const key = uniqueKey();
    for (let hit = 0; hit < 4; hit++) await storage.increment(key, 60_000, 1_000); // B = 10: not a full batch
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await shared(key)).toBe(4);
  });

  it('syncs many keys in one pipeline: every key gets its own count', async () => {
    const storage = storageOn(redis);
    const many = Array.from({ length: 20 }, () => uniqueKey());
    for (const [index, key] of many.entries()) {
      for (let hit = 0; hit <= index % 5; hit++) await storage.increment(key, 60_000, 1_000); // 1–5 hits, B = 10
    }
    await storage.syncNow();
    expect(await Promise.all(many.map(shared))).toEqual(many.map((_, index) => (index % 5) + 1));
    expect(storage.unsyncedHits()).toBe(0);
  });

  it('counts limits below 200 exactly: every hit is in Redis before it is answered', async () => {
    const storage = storageOn(redis);
    const key = uniqueKey();
    for (let hit = 1; hit <= 12; hit++) {
      const record = await storage.increment(key, 60_000, 10);
      expect(record).toMatchObject({ totalHits: hit, isBlocked: hit > 10 });
      expect(await shared(key)).toBe(hit);
    }
  });

  it('starts a fresh window once the previous one expired, without carrying its hits over', async () => {
    const storage = storageOn(redis);
    const key = uniqueKey();
    for (let hit = 0; hit < 25; hit++) await storage.increment(key, 300, 1_000);
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(await storage.increment(key, 300, 1_000)).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(await shared(key)).toBe(1);
  });

  /** Disconnects and waits until ioredis reports the connection gone (it learns it from the socket's close). */
  async function lose(client: Redis): Promise<void> {
    client.disconnect();
    while (client.status === 'ready') await new Promise((resolve) => setTimeout(resolve, 5));
  }

  it('with the connection to Redis lost mid-window, fails closed at once instead of counting on locally', async () => {
    const client = await connect();
    const storage = storageOn(client, 'closed');
    const key = uniqueKey();
    for (let hit = 0; hit < 3; hit++) await storage.increment(key, 60_000, 1_000);
    await lose(client);

    const error = await storage.increment(key, 60_000, 1_000).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as DependencyUnavailableError).code).toBe(50300);
  });

  it('with the connection to Redis lost mid-window, fails open: lets requests through', async () => {
    const client = await connect();
    const storage = storageOn(client, 'open');
    const key = uniqueKey();
    for (let hit = 0; hit < 3; hit++) await storage.increment(key, 60_000, 1_000);
    await lose(client);

    expect(await storage.increment(key, 60_000, 1_000)).toEqual({
      totalHits: 0,
      timeToExpire: 60,
      isBlocked: false,
      timeToBlockExpire: 0,
    });
  });

  it('with Redis connected but not answering, fails closed after at most B locally counted hits', async () => {
    const client = await connect();
    const storage = storageOn(client, 'closed');
    const key = uniqueKey();
    const limit = 1_000; // B = 10
    await storage.increment(key, 60_000, limit);
    // Every command from now on times out, as with a hung Redis and ioredis' commandTimeout.
    const hung = () => new Promise((_, reject) => setTimeout(() => reject(new Error('Command timed out')), 20));
    Object.assign(client, { orderlyThrottleBy: hung, orderlyThrottle: hung });

    const outcomes: string[] = [];
    for (let hit = 0; hit < 30; hit++) {
      outcomes.push(
        await storage.increment(key, 60_000, limit).then(
          (record) => (record.isBlocked ? 'blocked' : 'admitted'),
          (error: unknown) => (error instanceof DependencyUnavailableError ? '503' : 'other error'),
        ),
      );
    }
    expect(outcomes.filter((outcome) => outcome === 'admitted').length).toBeLessThanOrEqual(batchSizeFor(limit));
    expect(outcomes.slice(-10)).toEqual(Array(10).fill('503'));
    client.disconnect();
  });
});
