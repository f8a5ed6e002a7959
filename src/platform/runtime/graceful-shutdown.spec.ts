import { createGracefulShutdown, IDLE_SWEEP_MS, type DrainPolicy } from './graceful-shutdown.js';

interface Harness {
  readonly onSignal: (signal: string) => void;
  readonly exits: number[];
  readonly cut: number[];
  readonly sweeps: () => number;
  readonly warnings: string[];
  readonly errors: string[];
  readonly finishClose: () => void;
}

/** A policy whose `close` finishes when the test says so (or never, or fails). */
function harness(closing: 'manual' | 'hangs' | 'fails' = 'manual'): Harness {
  const exits: number[] = [];
  const cut: number[] = [];
  const warnings: string[] = [];
  const errors: string[] = [];
  let finishClose = (): void => undefined;
  let sweeps = 0;
  const policy: DrainPolicy = {
    graceMs: 1_000,
    forcedExitMarginMs: 500,
    close: () =>
      closing === 'fails'
        ? Promise.reject(new Error('pool close failed'))
        : new Promise((resolve) => {
            if (closing === 'manual') finishClose = () => resolve(undefined);
          }),
    closeIdleConnections: () => {
      sweeps += 1;
    },
    closeConnections: () => {
      cut.push(Date.now());
      return Promise.resolve(2);
    },
    log: {
      info: () => undefined,
      warn: (message) => warnings.push(message),
      error: (message) => errors.push(message),
    },
    exit: (code) => exits.push(code),
  };
  return {
    onSignal: createGracefulShutdown(policy),
    exits,
    cut,
    sweeps: () => sweeps,
    warnings,
    errors,
    finishClose: () => finishClose(),
  };
}

describe('graceful shutdown (SHUTDOWN_GRACE_MS)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('exits 0 when everything drains within the grace period, without cutting a connection', async () => {
    const h = harness();
    h.onSignal('SIGTERM');
    await vi.advanceTimersByTimeAsync(900);
    h.finishClose();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(h.exits).toEqual([0]);
    expect(h.cut).toEqual([]);
  });

  it('closes answered keep-alive connections while draining, and stops sweeping once done', async () => {
    const h = harness();
    expect(h.sweeps()).toBe(0);
    h.onSignal('SIGTERM');
    await vi.advanceTimersByTimeAsync(IDLE_SWEEP_MS * 3);
    expect(h.sweeps()).toBe(3);
    h.finishClose();
    await vi.advanceTimersByTimeAsync(IDLE_SWEEP_MS * 3);
    expect(h.sweeps()).toBe(3);
  });

  it('cuts the remaining connections when the grace period is over, then exits 1 once closing finishes', async () => {
    const h = harness();
    h.onSignal('SIGTERM');
    await vi.advanceTimersByTimeAsync(999);
    expect(h.cut).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.cut).toHaveLength(1);
    expect(h.warnings).toEqual(['shutdown grace period over: closed 2 open connection(s)']);
    expect(h.exits).toEqual([]);
    h.finishClose();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.exits).toEqual([1]);
  });

  it('exits 1 at the end of the margin when closing still hangs after the connections were cut', async () => {
    const h = harness('hangs');
    h.onSignal('SIGTERM');
    await vi.advanceTimersByTimeAsync(1_499);
    expect(h.exits).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.exits).toEqual([1]);
    expect(h.errors).toEqual(['shutdown hooks did not finish: exiting']);
  });

  it('forces at once on a second signal while draining (Ctrl-C twice)', async () => {
    const h = harness();
    h.onSignal('SIGINT');
    await vi.advanceTimersByTimeAsync(10);
    h.onSignal('SIGINT');
    await vi.advanceTimersByTimeAsync(0);
    expect(h.cut).toHaveLength(1);
    expect(h.warnings).toEqual(['second SIGINT while draining: closed 2 open connection(s)']);
    h.finishClose();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.exits).toEqual([1]);
  });

  it('exits 1 when the shutdown sequence fails', async () => {
    const h = harness('fails');
    h.onSignal('SIGTERM');
    await vi.advanceTimersByTimeAsync(0);
    expect(h.exits).toEqual([1]);
    expect(h.errors).toEqual(['shutdown failed']);
  });

  it('exits once, whatever arrives afterwards (Nest re-raises the signal when its sequence ends)', async () => {
    const h = harness();
    h.onSignal('SIGTERM');
    h.finishClose();
    await vi.advanceTimersByTimeAsync(0);
    h.onSignal('SIGTERM');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(h.exits).toEqual([0]);
    expect(h.cut).toEqual([]);
  });
});
