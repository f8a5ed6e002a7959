import { Logger } from '@nestjs/common';
import Opossum from 'opossum';
import type { BreakerState } from '../metrics/circuit-breaker.metrics.js';

/** Thrown instead of calling the dependency while its breaker is open: the caller applies its fallback at once. */
export class CircuitOpenError extends Error {
  constructor(readonly breaker: string) {
    super(`${breaker}: circuit open, not calling it`);
    this.name = 'CircuitOpenError';
  }
}

export interface CircuitBreakerOptions {
  /** Failed share of the calls in the rolling window, in percent, above which the breaker opens. */
  readonly errorThresholdPercentage: number;
  /** Calls the rolling window must hold before their failure rate can open the breaker. */
  readonly volumeThreshold: number;
  readonly rollingWindowMs: number;
  /** Open → half-open after this long the first time; doubled after each failed trial, up to `maxResetTimeoutMs`. */
  readonly resetTimeoutMs: number;
  readonly maxResetTimeoutMs: number;
  /** A call still pending after this long counts as failed (false: the call's own timeouts decide). */
  readonly callTimeoutMs: number | false;
}

/** Where a breaker reports its state (CircuitBreakerMetrics in the application). */
export interface BreakerStateReporter {
  report(breaker: string, state: BreakerState): void;
}

/**
 * A circuit breaker (opossum) around one dependency, for SPEC §4 "Timeouts and overload": once calls to it fail
 * often enough, further calls fail fast with CircuitOpenError — no socket write, no wait for a timeout — and the
 * caller takes its documented fallback; after `resetTimeout` one trial call goes through (half-open): success
 * closes the breaker, failure opens it again for twice as long (capped), so a long outage costs few attempts and a
 * short one recovers quickly. Every change of state is logged once and reported to `circuit_breaker_state`.
 *
 * The breaker only decides whether to call; what a failure means is the caller's (a rejected promise).
 */
export class CircuitBreaker {
  private readonly logger = new Logger('CircuitBreaker');
  private readonly breaker: Opossum<[() => Promise<unknown>], unknown>;
  /**
   * opossum's live options (untyped): its reset timer reads `resetTimeout` from here each time the breaker opens
   * (lib/circuit.js `_startTimer`), which is what lets the wait grow after each failed trial.
   */
  private readonly live: { resetTimeout: number };

  constructor(
    readonly name: string,
    private readonly options: CircuitBreakerOptions,
    reporter?: BreakerStateReporter,
  ) {
    this.breaker = new Opossum((call: () => Promise<unknown>) => call(), {
      name,
      errorThresholdPercentage: options.errorThresholdPercentage,
      volumeThreshold: options.volumeThreshold,
      rollingCountTimeout: options.rollingWindowMs,
      resetTimeout: options.resetTimeoutMs,
      timeout: options.callTimeoutMs,
      // Snapshots are a stream of stats every second nobody reads here.
      enableSnapshots: false,
    });
    this.live = (this.breaker as unknown as { options: { resetTimeout: number } }).options;
    const report = (state: BreakerState) => reporter?.report(name, state);
    report('closed');
    // Emitted before the breaker decides to (re)open: a failed trial doubles the wait before the next one. The
    // reset timer reads the option when it starts, i.e. right after this.
    this.breaker.on('failure', () => {
      if (this.breaker.halfOpen)
        this.live.resetTimeout = Math.min(this.options.maxResetTimeoutMs, this.live.resetTimeout * 2);
    });
    this.breaker.on('open', () => {
      report('open');
      // A failed trial re-opens it: once per outage at warn is enough (the trials' wait doubles up to the cap).
      const message = `${name}: circuit open, next trial in ${this.live.resetTimeout} ms`;
      if (this.live.resetTimeout === options.resetTimeoutMs) this.logger.warn(message);
      else this.logger.debug(message);
    });
    this.breaker.on('halfOpen', () => report('halfOpen'));
    this.breaker.on('close', () => {
      this.live.resetTimeout = options.resetTimeoutMs;
      report('closed');
      this.logger.log(`${name}: circuit closed`);
    });
  }

  get state(): BreakerState {
    if (this.breaker.opened) return 'open';
    return this.breaker.halfOpen ? 'halfOpen' : 'closed';
  }

  /** True while calls fail fast (open); a half-open breaker lets its trial call through. */
  get isOpen(): boolean {
    return this.breaker.opened;
  }

  /** Calls `call` unless the breaker is open (then CircuitOpenError); its failure counts against the dependency. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    try {
      return (await this.breaker.fire(call)) as T;
    } catch (error) {
      if (Opossum.isOurError(error as Error) && (error as { code?: string }).code === 'EOPENBREAKER')
        throw new CircuitOpenError(this.name);
      throw error;
    }
  }

  /** Called when the breaker lets a trial through again: callers that wait rather than poll restart here. */
  onHalfOpen(listener: () => void): void {
    this.breaker.on('halfOpen', listener);
  }

  /** Stops its timers (application shutdown). */
  shutdown(): void {
    this.breaker.shutdown();
  }
}
