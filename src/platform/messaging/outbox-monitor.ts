import { Injectable } from '@nestjs/common';
import { OutboxStore } from '../persistence/outbox/outbox-store.js';

export interface OutboxSnapshot {
  /** Events some handler has not finished with yet. */
  readonly backlog: number;
  readonly oldestUndeliveredAgeSeconds: number;
  /** Events the broker has not confirmed yet (0 without a broker). */
  readonly unpublished: number;
  /** Dead letters not replayed yet. */
  readonly openDeadLetters: number;
  /** Counted by this instance since it started. */
  readonly deliveredTotal: number;
  readonly deadLetteredTotal: number;
  readonly publishedTotal: number;
  /** Event occurred → its handlers finished, over the last deliveries of this instance (seconds). */
  readonly deliveryLatency: { readonly count: number; readonly p50: number; readonly p99: number };
}

const LATENCY_SAMPLES = 2048;

/**
 * The events platform's numbers, in one small port for the operations work to turn into Prometheus metrics
 * (outbox_backlog, outbox_oldest_age_seconds, outbox_dead_letters, a delivery-latency histogram). Gauges come from
 * the database (the truth across instances); counters and latencies from this instance.
 */
@Injectable()
export class OutboxMonitor {
  private delivered = 0;
  private deadLettered = 0;
  private published = 0;
  private readonly latencies = new Float64Array(LATENCY_SAMPLES);
  private latencyCount = 0;

  constructor(private readonly store: OutboxStore) {}

  recordDelivered(occurredAt: Date, now: Date): void {
    this.delivered += 1;
    this.latencies[this.latencyCount % LATENCY_SAMPLES] = Math.max(0, now.getTime() - occurredAt.getTime()) / 1000;
    this.latencyCount += 1;
  }

  recordDeadLettered(count: number): void {
    this.deadLettered += count;
  }

  recordPublished(count: number): void {
    this.published += count;
  }

  async snapshot(now: Date = new Date()): Promise<OutboxSnapshot> {
    const stats = await this.store.stats();
    const samples = Array.from(this.latencies.subarray(0, Math.min(this.latencyCount, LATENCY_SAMPLES))).sort(
      (a, b) => a - b,
    );
    const quantile = (q: number) =>
      samples.length === 0 ? 0 : samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
    return {
      backlog: stats.backlog,
      oldestUndeliveredAgeSeconds:
        stats.oldestUndeliveredAt === undefined
          ? 0
          : Math.max(0, (now.getTime() - stats.oldestUndeliveredAt.getTime()) / 1000),
      unpublished: stats.unpublished,
      openDeadLetters: stats.openDeadLetters,
      deliveredTotal: this.delivered,
      deadLetteredTotal: this.deadLettered,
      publishedTotal: this.published,
      deliveryLatency: { count: this.latencyCount, p50: quantile(0.5) ?? 0, p99: quantile(0.99) ?? 0 },
    };
  }
}
