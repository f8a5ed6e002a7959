/** One request of a load: when it ran, what it answered, and the key that finds its effect in the database. */
export interface LoadOutcome {
  readonly client: number;
  /** What identifies the write afterwards (e.g. a product's SKU). */
  readonly key: string;
  readonly startedAt: number;
  readonly endedAt: number;
  /** HTTP status; 0 when no answer arrived (connection refused or reset, or the client's own timeout). */
  readonly status: number;
  /** The envelope's `code`, when the body had one. */
  readonly code?: number;
  /** The answer's `data`, for 2xx answers. */
  readonly data?: Record<string, unknown>;
  /** Why there was no answer (status 0). */
  readonly error?: string;
}

export interface WriteRequest {
  readonly url: string;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

export interface WriteLoadOptions {
  /** Concurrent clients, each sending its next request when the previous one is answered. */
  readonly clients: number;
  /** Pause between one client's requests: keeps the load steady and modest on a shared 2-core machine. */
  readonly pauseMs: number;
  /** The client gives up after this long and records status 0 with error `timeout`. */
  readonly clientTimeoutMs: number;
  /** Builds request `n` of the run (unique across clients) and the key that identifies its write. */
  readonly next: (n: number) => { key: string; request: WriteRequest };
}

/**
 * A steady write load of a few clients in a loop, recording every outcome with its timing, so a test can ask what
 * was answered while a dependency was down and check afterwards that every write answered 2xx was stored.
 */
export class WriteLoad {
  readonly outcomes: LoadOutcome[] = [];
  /** Requests sent and not answered yet. */
  private readonly pending = new Set<{ readonly key: string; readonly startedAt: number }>();
  private running = false;
  private counter = 0;
  private loops: Promise<void>[] = [];

  constructor(private readonly options: WriteLoadOptions) {}

  start(): this {
    this.running = true;
    this.loops = Array.from({ length: this.options.clients }, (_, client) => this.loop(client));
    return this;
  }

  /** Stops sending and resolves once every client's last request is answered. */
  async stop(): Promise<LoadOutcome[]> {
    this.running = false;
    await Promise.all(this.loops);
    return this.outcomes;
  }

  /** Outcomes of the requests sent in [from, to). */
  startedBetween(from: number, to: number = Number.POSITIVE_INFINITY): LoadOutcome[] {
    return this.outcomes.filter((outcome) => outcome.startedAt >= from && outcome.startedAt < to);
  }

  /** Requests sent before `time` that are still waiting for their answer. */
  inFlightSince(time: number): { key: string; startedAt: number }[] {
    return [...this.pending].filter((request) => request.startedAt < time);
  }

  succeeded(): LoadOutcome[] {
    return this.outcomes.filter((outcome) => outcome.status >= 200 && outcome.status < 300);
  }

  private async loop(client: number): Promise<void> {
    while (this.running) {
      const { key, request } = this.options.next(this.counter++);
      this.outcomes.push(await this.send(client, key, request));
      if (this.running && this.options.pauseMs > 0) await sleep(this.options.pauseMs);
    }
  }

  private async send(client: number, key: string, request: WriteRequest): Promise<LoadOutcome> {
    const startedAt = Date.now();
    const pending = { key, startedAt };
    this.pending.add(pending);
    try {
      return await this.exchange(client, key, request, startedAt);
    } finally {
      this.pending.delete(pending);
    }
  }

  private async exchange(client: number, key: string, request: WriteRequest, startedAt: number): Promise<LoadOutcome> {
    try {
      const response = await fetch(request.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...request.headers },
        body: JSON.stringify(request.body),
        signal: AbortSignal.timeout(this.options.clientTimeoutMs),
      });
      const text = await response.text();
      let body: { code?: number; data?: Record<string, unknown> } = {};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        // Not JSON (should not happen on /api/v1): status alone tells.
      }
      return {
        client,
        key,
        startedAt,
        endedAt: Date.now(),
        status: response.status,
        code: body.code,
        data: response.ok ? body.data : undefined,
      };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      const name = (error as Error).name;
      return {
        client,
        key,
        startedAt,
        endedAt: Date.now(),
        status: 0,
        error: name === 'TimeoutError' ? 'timeout' : (cause ?? (error as Error).message),
      };
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Counts outcomes by `status/code`, e.g. `{ '201/0': 120, '503/50300': 14 }`, for the test's report. */
export function tally(outcomes: readonly LoadOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) {
    const label = outcome.status === 0 ? `no answer (${outcome.error ?? '?'})` : `${outcome.status}/${outcome.code}`;
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}
