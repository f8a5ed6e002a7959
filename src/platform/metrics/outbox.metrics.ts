import { Injectable, Logger, Optional } from '@nestjs/common';
import type { Gauge } from 'prom-client';
import { OutboxMonitor, type OutboxSnapshot } from '../messaging/outbox-monitor.js';
import { CachedSnapshot } from './cached-snapshot.js';
import { MetricsRegistry } from './metrics-registry.js';

/** How long one snapshot of the outbox tables answers scrapes (its queries count rows across the table). */
const SNAPSHOT_TTL_MS = 2_000;
/**
 * How long a scrape waits for fresh figures before answering with the last ones: a database outage must not hold
 * the whole exposition (and every other metric) past Prometheus' scrape timeout. The queries keep running and
 * refresh the figures for the next scrape.
 */
const SCRAPE_WAIT_MS = 1_000;

type Figure = (snapshot: OutboxSnapshot) => number;

/**
 * `outbox_backlog`, `outbox_oldest_age_seconds` and `outbox_dead_letters` (SPEC §4a): gauges read from the database
 * through OutboxMonitor when Prometheus scrapes — never by a timer, so an idle service runs no queries of its own.
 * They describe the shared tables, so every replica reports the same figures: aggregate them with `max`, not `sum`.
 * While the database does not answer, the gauges keep the last figures read (the readiness probe and the request
 * errors tell of the outage; a made-up 0 would say "all delivered"); before any read has succeeded they show
 * prom-client's initial 0.
 */
@Injectable()
export class OutboxMetrics {
  private readonly logger = new Logger('OutboxMetrics');
  private readonly snapshots: CachedSnapshot<OutboxSnapshot> | undefined;
  private failing = false;

  constructor(metrics: MetricsRegistry, @Optional() monitor?: OutboxMonitor) {
    if (monitor === undefined) return;
    this.snapshots = new CachedSnapshot(() => monitor.snapshot(), SNAPSHOT_TTL_MS);
    this.gauge(
      metrics,
      'outbox_backlog',
      'Outbox events some in-process handler has not finished with yet (all instances).',
      (s) => s.backlog,
    );
    this.gauge(
      metrics,
      'outbox_oldest_age_seconds',
      'Age of the oldest undelivered outbox event in seconds, 0 when none is waiting (all instances).',
      (s) => s.oldestUndeliveredAgeSeconds,
    );
    this.gauge(
      metrics,
      'outbox_dead_letters',
      'Dead letters not replayed yet: events a handler failed on OUTBOX_MAX_ATTEMPTS times (all instances).',
      (s) => s.openDeadLetters,
    );
  }

  private gauge(metrics: MetricsRegistry, name: string, help: string, figure: Figure): Gauge {
    const snapshot = () => this.current();
    return metrics.gauge({
      name,
      help,
      async collect() {
        const current = await snapshot();
        if (current !== undefined) this.set(figure(current));
      },
    });
  }

  /** The freshest snapshot available within SCRAPE_WAIT_MS, else the last one; undefined before the first. */
  private async current(): Promise<OutboxSnapshot | undefined> {
    const snapshots = this.snapshots!;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), SCRAPE_WAIT_MS);
    });
    try {
      const fresh = await Promise.race([snapshots.get(), late]);
      if (fresh === undefined) return snapshots.latest;
      this.recovered();
      return fresh;
    } catch (error) {
      this.failed(error);
      return snapshots.latest;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Logged once per outage, not once per gauge and scrape. */
  private failed(error: unknown): void {
    if (this.failing) return;
    this.failing = true;
    this.logger.warn(`outbox figures unavailable, serving the last ones: ${(error as Error).message}`);
  }

  private recovered(): void {
    if (!this.failing) return;
    this.failing = false;
    this.logger.log('outbox figures available again');
  }
}
