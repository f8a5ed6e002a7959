/**
 * What the Redis tier asks before each call (`isOpen`: skip Redis, fall back at once) and wraps around it (`run`:
 * count the outcome). The platform's circuit breaker (`platform/resilience/circuit-breaker.ts`) has this shape; the
 * built-in guard below is the fallback when none is given.
 */
export interface RedisGuard {
  readonly isOpen: boolean;
  run<T>(call: () => Promise<T>): Promise<T>;
  /** Stops its timers, if it has any (application shutdown). */
  shutdown?(): void;
}

const SKIP_AFTER_FAILURE_MS = 1_000;

/** After a failed call Redis is skipped for 1 s, so a hung Redis costs one command timeout, not one per read. */
export class SkipAfterFailure implements RedisGuard {
  private skipUntil = 0;

  constructor(private readonly skipMs = SKIP_AFTER_FAILURE_MS) {}

  get isOpen(): boolean {
    return this.skipUntil !== 0 && Date.now() < this.skipUntil;
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    try {
      const result = await call();
      this.skipUntil = 0;
      return result;
    } catch (error) {
      this.skipUntil = Date.now() + this.skipMs;
      throw error;
    }
  }
}
