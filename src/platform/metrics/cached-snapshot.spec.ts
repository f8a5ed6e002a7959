import { CachedSnapshot } from './cached-snapshot.js';

describe('CachedSnapshot', () => {
  let now: number;
  let calls: number;
  let result: () => Promise<number>;

  beforeEach(() => {
    now = 0;
    calls = 0;
    result = () => Promise.resolve(calls);
  });
  const snapshot = () =>
    new CachedSnapshot(
      () => {
        calls += 1;
        return result();
      },
      2_000,
      () => now,
    );

  it('computes once per TTL', async () => {
    const cached = snapshot();
    expect(await cached.get()).toBe(1);
    now = 1_999;
    expect(await cached.get()).toBe(1);
    now = 2_000;
    expect(await cached.get()).toBe(2);
  });

  it('shares one computation among callers that arrive while it runs', async () => {
    let finish!: (value: number) => void;
    result = () => new Promise((resolve) => (finish = resolve));
    const cached = snapshot();
    const together = [cached.get(), cached.get(), cached.get()];
    finish(42);
    expect(await Promise.all(together)).toEqual([42, 42, 42]);
    expect(calls).toBe(1);
  });

  it('does not cache a failure, and keeps the last good value in `latest`', async () => {
    const cached = snapshot();
    await cached.get();
    now = 5_000;
    result = () => Promise.reject(new Error('database down'));
    await expect(cached.get()).rejects.toThrow('database down');
    expect(cached.latest).toBe(1);
    result = () => Promise.resolve(7);
    expect(await cached.get()).toBe(7);
    expect(calls).toBe(3);
  });
});
