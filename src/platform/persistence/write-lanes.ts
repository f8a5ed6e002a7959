import { PoolAcquireTimeoutError } from './persistence-errors.js';

/**
 * Keeps part of the connection pool for the outbox relay. Without it, request transactions and the relay's
 * deliveries wait in one first-come queue for the pool's connections: under a sustained write load the 50-odd
 * requests waiting ahead of the relay's few deliveries took almost every turn, and the saga stopped (the order
 * soak placed 450 orders/s and confirmed next to none until the load stopped).
 *
 * Request-side units of work take a slot here before their transaction asks the pool for a connection; at most
 * `slots` of them hold a connection at a time, so the rest of the pool stays free for background units of work (the
 * relay's claims and deliveries, `TransactionOptions.background`), which skip this. A request waits for a slot in
 * order of arrival, no longer than the pool's acquire timeout — then it fails fast like a starved pool (503).
 * Reads outside units of work are not counted: they hold a connection for one query only.
 */
export class WriteLanes {
  private active = 0;
  private readonly waiting: Array<{ resolve: () => void; timer: NodeJS.Timeout }> = [];

  constructor(
    readonly slots: number,
    private readonly acquireTimeoutMs: number,
  ) {}

  /** Resolves with the function that gives the slot back (call it exactly once). */
  async enter(): Promise<() => void> {
    if (this.active < this.slots) {
      this.active += 1;
      return () => this.leave();
    }
    await new Promise<void>((resolve, reject) => {
      const waiter = {
        resolve,
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          reject(new PoolAcquireTimeoutError(this.acquireTimeoutMs));
        }, this.acquireTimeoutMs),
      };
      this.waiting.push(waiter);
    });
    return () => this.leave();
  }

  private leave(): void {
    const next = this.waiting.shift();
    if (next === undefined) {
      this.active -= 1;
      return;
    }
    // The slot passes straight to the next waiter: `active` stays as it is.
    clearTimeout(next.timer);
    next.resolve();
  }
}
