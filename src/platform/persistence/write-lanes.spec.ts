import { PoolAcquireTimeoutError } from './persistence-errors.js';
import { WriteLanes } from './write-lanes.js';

describe('WriteLanes', () => {
  it('lets `slots` units of work in at once and hands a freed slot to the longest waiter', async () => {
    const lanes = new WriteLanes(2, 1_000);
    const first = await lanes.enter();
    const second = await lanes.enter();
    const order: string[] = [];
    const third = lanes.enter().then((leave) => (order.push('third'), leave));
    const fourth = lanes.enter().then((leave) => (order.push('fourth'), leave));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual([]);
    first();
    (await third)();
    second();
    (await fourth)();
    expect(order).toEqual(['third', 'fourth']);
    // Every slot is free again: two enter at once without waiting.
    const a = await lanes.enter();
    const b = await lanes.enter();
    a();
    b();
  });

  it('fails a waiter fast with the pool’s acquire-timeout error, and forgets it', async () => {
    vi.useFakeTimers();
    try {
      const lanes = new WriteLanes(1, 2_000);
      const held = await lanes.enter();
      const waiting = lanes.enter();
      const outcome = expect(waiting).rejects.toBeInstanceOf(PoolAcquireTimeoutError);
      await vi.advanceTimersByTimeAsync(2_000);
      await outcome;
      held();
      // The timed-out waiter took nothing: the slot is free.
      const next = await lanes.enter();
      next();
    } finally {
      vi.useRealTimers();
    }
  });
});
