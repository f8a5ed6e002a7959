import type { BreakerState } from '../metrics/circuit-breaker.metrics.js';
import { CircuitBreaker, CircuitOpenError, type CircuitBreakerOptions } from './circuit-breaker.js';

const OPTIONS: CircuitBreakerOptions = {
  errorThresholdPercentage: 50,
  volumeThreshold: 2,
  rollingWindowMs: 10_000,
  resetTimeoutMs: 1_000,
  maxResetTimeoutMs: 4_000,
  callTimeoutMs: false,
};

describe('CircuitBreaker', () => {
  let reported: BreakerState[];
  let breaker: CircuitBreaker;
  let calls: number;
  let failing: boolean;
  const call = () => {
    calls += 1;
    return failing ? Promise.reject(new Error('connection refused')) : Promise.resolve('ok');
  };

  beforeEach(() => {
    vi.useFakeTimers();
    reported = [];
    calls = 0;
    failing = false;
    breaker = new CircuitBreaker('dependency', OPTIONS, { report: (_name, state) => reported.push(state) });
  });
  afterEach(() => {
    breaker.shutdown();
    vi.useRealTimers();
  });

  async function failTwice(): Promise<void> {
    failing = true;
    for (let i = 0; i < 2; i++) await expect(breaker.run(call)).rejects.toThrow('connection refused');
  }

  it('passes calls and their failures through while closed', async () => {
    expect(await breaker.run(call)).toBe('ok');
    failing = true;
    await expect(breaker.run(call)).rejects.toThrow('connection refused');
    expect(breaker.state).toBe('closed');
    expect(reported).toEqual(['closed']);
  });

  it('opens once failures pass the threshold, then fails fast without calling', async () => {
    await failTwice();
    expect(breaker.state).toBe('open');
    expect(breaker.isOpen).toBe(true);

    await expect(breaker.run(call)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(calls).toBe(2);
    expect(reported).toEqual(['closed', 'open']);
  });

  it('lets one trial through after the reset timeout and closes when it succeeds', async () => {
    const halfOpened = vi.fn();
    breaker.onHalfOpen(halfOpened);
    await failTwice();

    await vi.advanceTimersByTimeAsync(1_000);
    expect(breaker.state).toBe('halfOpen');
    expect(halfOpened).toHaveBeenCalledOnce();

    failing = false;
    expect(await breaker.run(call)).toBe('ok');
    expect(breaker.state).toBe('closed');
    expect(reported).toEqual(['closed', 'open', 'halfOpen', 'closed']);
  });

  it('re-opens after a failed trial for twice as long, capped, and starts again from the first timeout once closed', async () => {
    await failTwice();
    const trialAfter = async (ms: number) => {
      await vi.advanceTimersByTimeAsync(ms - 1);
      expect(breaker.state).toBe('open');
      await vi.advanceTimersByTimeAsync(1);
      expect(breaker.state).toBe('halfOpen');
    };

    await trialAfter(1_000);
    await expect(breaker.run(call)).rejects.toThrow('connection refused');
    await trialAfter(2_000);
    await expect(breaker.run(call)).rejects.toThrow('connection refused');
    await trialAfter(4_000);
    await expect(breaker.run(call)).rejects.toThrow('connection refused');
    await trialAfter(4_000);

    failing = false;
    await breaker.run(call);
    // The rolling window still holds the outage's failures, so one more failure may be enough to open it again.
    failing = true;
    while (!breaker.isOpen) await expect(breaker.run(call)).rejects.toThrow('connection refused');
    await trialAfter(1_000);
  });
});
