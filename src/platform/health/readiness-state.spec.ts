import { ReadinessState } from './readiness-state.js';

describe('ReadinessState.during', () => {
  it('holds the task pending while the work runs, and releases it when the work succeeds', async () => {
    const readiness = new ReadinessState();
    let release!: () => void;
    const running = readiness.during('seed', () => new Promise<string>((resolve) => (release = () => resolve('ok'))));
    expect(readiness.pendingTasks).toEqual(['seed']);
    release();
    await expect(running).resolves.toBe('ok');
    expect(readiness.pendingTasks).toEqual([]);
  });

  it('releases the task when the work fails, and passes the failure on', async () => {
    const readiness = new ReadinessState();
    await expect(readiness.during('seed', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(readiness.pendingTasks).toEqual([]);
  });
});
