import { SkipAfterFailure } from './redis-guard.js';

describe('SkipAfterFailure (the cache tier default guard)', () => {
  afterEach(() => vi.useRealTimers());

  it('opens for the skip period after a failed call, then lets calls through again', async () => {
    vi.useFakeTimers({ now: 10_000 });
    const guard = new SkipAfterFailure(1_000);
    expect(guard.isOpen).toBe(false);

    await expect(guard.run(() => Promise.reject(new Error('timeout')))).rejects.toThrow('timeout');
    expect(guard.isOpen).toBe(true);
    vi.advanceTimersByTime(999);
    expect(guard.isOpen).toBe(true);
    vi.advanceTimersByTime(1);
    expect(guard.isOpen).toBe(false);

    await expect(guard.run(async () => 'ok')).resolves.toBe('ok');
    expect(guard.isOpen).toBe(false);
  });

  it('calls synchronously, so commands keep the order they were issued in on the connection', () => {
    const guard = new SkipAfterFailure();
    const order: string[] = [];
    void guard.run(async () => order.push('del'));
    order.push('next');
    expect(order).toEqual(['del', 'next']);
  });
});
