import { InMemoryThrottlerStorage } from './in-memory-throttler.storage.js';

describe('InMemoryThrottlerStorage (fixed window)', () => {
  let now = 1_000_000;
  let storage: InMemoryThrottlerStorage;

  beforeEach(() => {
    now = 1_000_000;
    storage = new InMemoryThrottlerStorage(() => now);
  });
  afterEach(() => storage.onApplicationShutdown());

  it('counts hits per key and blocks beyond the limit until the window ends', async () => {
    const hits = [];
    for (let index = 0; index < 4; index++) hits.push(await storage.increment('k', 60_000, 3));
    expect(hits.map((hit) => hit.totalHits)).toEqual([1, 2, 3, 4]);
    expect(hits.map((hit) => hit.isBlocked)).toEqual([false, false, false, true]);
    expect(hits[3]?.timeToBlockExpire).toBe(60);
    expect((await storage.increment('other', 60_000, 3)).totalHits).toBe(1);
  });

  it('starts a fresh window once the old one has ended', async () => {
    for (let index = 0; index < 5; index++) await storage.increment('k', 60_000, 3);
    now += 30_000;
    expect((await storage.increment('k', 60_000, 3)).timeToExpire).toBe(30);
    now += 30_000;
    const fresh = await storage.increment('k', 60_000, 3);
    expect(fresh).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
  });
});
