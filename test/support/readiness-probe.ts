/** One answer of `/health/ready`; status 0 when nothing answered (listener closed). */
export interface ReadinessSample {
  /** When the probe was sent, and when its answer (or failure) arrived. */
  readonly at: number;
  readonly answeredAt: number;
  readonly status: number;
  readonly details?: Record<string, { status?: string; message?: string }>;
}

/**
 * Polls `/health/ready` like a load balancer would, only faster, and keeps every answer, so a test can say when
 * readiness turned 503 and when it came back, and what it reported for each dependency.
 */
export class ReadinessProbe {
  readonly samples: ReadinessSample[] = [];
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly base: string,
    private readonly intervalMs = 100,
  ) {}

  start(): this {
    this.running = true;
    this.loop = this.run();
    return this;
  }

  async stop(): Promise<ReadinessSample[]> {
    this.running = false;
    await this.loop;
    return this.samples;
  }

  /** One probe now, also recorded. */
  async sample(): Promise<ReadinessSample> {
    const at = Date.now();
    let sample: ReadinessSample;
    try {
      const response = await fetch(`${this.base}/health/ready`, { signal: AbortSignal.timeout(5_000) });
      const body = (await response.json().catch(() => ({}))) as { details?: ReadinessSample['details'] };
      sample = { at, answeredAt: Date.now(), status: response.status, details: body.details };
    } catch {
      sample = { at, answeredAt: Date.now(), status: 0 };
    }
    this.samples.push(sample);
    return sample;
  }

  /** Samples sent in [from, to). */
  between(from: number, to: number = Number.POSITIVE_INFINITY): ReadinessSample[] {
    return this.samples.filter((sample) => sample.at >= from && sample.at < to);
  }

  /** Samples answered in [from, to). */
  answeredBetween(from: number, to: number = Number.POSITIVE_INFINITY): ReadinessSample[] {
    return this.samples.filter((sample) => sample.answeredAt >= from && sample.answeredAt < to);
  }

  private async run(): Promise<void> {
    while (this.running) {
      await this.sample();
      await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
    }
  }
}
