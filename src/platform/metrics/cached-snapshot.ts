/**
 * A value that is expensive to compute (database queries), recomputed at most once per `ttlMs`, by one caller at a
 * time: scrapes arriving together — several gauges collected in the same scrape, two Prometheus servers of an HA
 * pair — share one computation instead of each running the queries.
 *
 * A failed computation is not cached: the next call tries again. `latest` keeps the last value that succeeded, for
 * callers that prefer a stale figure to none.
 */
export class CachedSnapshot<T> {
  private value: { readonly at: number; readonly snapshot: T } | undefined;
  private inFlight: Promise<T> | undefined;

  constructor(
    private readonly compute: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get latest(): T | undefined {
    return this.value?.snapshot;
  }

  get(): Promise<T> {
    const cached = this.value;
    if (cached !== undefined && this.now() - cached.at < this.ttlMs) return Promise.resolve(cached.snapshot);
    if (this.inFlight !== undefined) return this.inFlight;
    const started = this.now();
    const computation = this.compute().then((snapshot) => {
      // Stamped with the start: the figures describe the database as it was when the queries began.
      this.value = { at: started, snapshot };
      return snapshot;
    });
    this.inFlight = computation.finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }
}
