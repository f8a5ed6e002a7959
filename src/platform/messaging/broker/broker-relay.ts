import { randomBytes } from 'node:crypto';
import {
  Injectable,
  Logger,
  Optional,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Clock } from '../../../shared/application/clock.js';
import { CircuitBreakerMetrics } from '../../metrics/circuit-breaker.metrics.js';
import { OutboxSettings } from '../../persistence/outbox/outbox-settings.js';
import { OutboxSignal } from '../../persistence/outbox/outbox-signal.js';
import { OutboxStore } from '../../persistence/outbox/outbox-store.js';
import { CircuitBreaker, CircuitOpenError, type CircuitBreakerOptions } from '../../resilience/circuit-breaker.js';
import { OutboxMonitor } from '../outbox-monitor.js';
import { toIntegrationEvent } from '../outbox-relay.js';
import { toBrokerMessage } from './broker-message.js';
import { BrokerPublisher } from './broker-publisher.js';

const BATCH = 100;
/** Backoff while the database fails the relay's own queries (claims, marking rows published). */
const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
/**
 * The broker's breaker (`circuit_breaker_state{breaker="broker"}`). One failed publish opens it — a publish is a
 * whole batch, and a broker that refused one refuses the next — with trials 0.5 s, 1 s, 2 s … 30 s apart. The
 * publisher bounds each call itself (connect timeout, confirm timeout, heartbeats).
 */
const BROKER_BREAKER: CircuitBreakerOptions = {
  errorThresholdPercentage: 0,
  volumeThreshold: 1,
  rollingWindowMs: 10_000,
  resetTimeoutMs: MIN_BACKOFF_MS,
  maxResetTimeoutMs: MAX_BACKOFF_MS,
  callTimeoutMs: false,
};
/** The broker relay's claim on rows it is publishing; a crashed instance's rows come back after it. */
const PUBLISH_LEASE_MS = 30_000;

/**
 * Publishes every outbox row to the broker, in order, independently of in-process delivery: a broker outage only
 * grows the unpublished backlog (rows wait; readiness and requests are untouched — SPEC §4: broker → outbox
 * backlog). The broker sits behind a circuit breaker: while it is open the relay claims nothing and commits trigger
 * no attempt; when it turns half-open the relay runs once as its trial, which closes it or opens it for twice as
 * long (0.5 s up to 30 s). A row counts as published only once the broker confirmed it; a crash between confirm and
 * the database update publishes it again, so consumers deduplicate by message id (at-least-once).
 */
@Injectable()
export class BrokerRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('BrokerRelay');
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private failures = 0;
  /** Failed publishes in the current broker outage (for logging: the first one, then every tenth). */
  private brokerFailures = 0;
  /** While the database fails the relay's queries, commits do not trigger attempts: only the backoff timer does. */
  private backoffUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly breaker: CircuitBreaker | undefined;
  /**
   * Rows this instance claimed and could not settle because the database went away: published and confirmed but
   * not marked, or not published and not released. Settled first thing in the next round, instead of waiting out
   * their 30 s lease (and then being published a second time).
   */
  private readonly confirmedUnmarked = new Set<number>();
  private readonly unreleased = new Set<number>();

  constructor(
    private readonly store: OutboxStore,
    private readonly clock: Clock,
    private readonly settings: OutboxSettings,
    private readonly monitor: OutboxMonitor,
    signal: OutboxSignal,
    @Optional() private readonly publisher?: BrokerPublisher,
    @Optional() breakerMetrics?: CircuitBreakerMetrics,
  ) {
    signal.onCommitted(() => this.kick());
    if (publisher !== undefined) {
      this.breaker = new CircuitBreaker('broker', BROKER_BREAKER, breakerMetrics);
      // The trial: the relay waits for it rather than polling an open breaker.
      this.breaker.onHalfOpen(() => this.run());
    }
  }

  get enabled(): boolean {
    return this.publisher !== undefined;
  }

  /** For readiness: undefined without a broker; otherwise whether it answers now (connecting if needed). */
  async reachable(): Promise<boolean | undefined> {
    return this.publisher?.ping();
  }

  onApplicationBootstrap(): void {
    if (this.publisher === undefined) return;
    this.stopped = false;
    this.kick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.running;
    this.breaker?.shutdown();
    await this.publisher?.close();
  }

  /** Publish what is waiting, now (after a commit), unless the broker's breaker is open. */
  kick(): void {
    if (this.breaker?.isOpen === true) return;
    // A commit just went through, so the database answers again: a database backoff ends here. (Rounds never
    // overlap — see run — so a burst of commits cannot hammer anything.)
    this.backoffUntil = 0;
    this.run();
  }

  private run(): void {
    if (this.stopped) return;
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves once the current publishing round (if any) has finished; for tests. */
  async settled(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  private async drain(): Promise<void> {
    const publisher = this.publisher;
    const breaker = this.breaker;
    if (publisher === undefined || breaker === undefined) return;
    // Open: nothing to claim now; the breaker's half-open event runs the relay again.
    if (breaker.isOpen) return;
    try {
      await this.settleStranded();
      do {
        this.again = false;
        let published: number;
        do {
          published = await this.publishBatch(publisher, breaker);
        } while (published === BATCH && !this.stopped);
      } while (this.again && !this.stopped);
      this.failures = 0;
      this.brokerFailures = 0;
      this.backoffUntil = 0;
      this.schedule(this.settings.pollIntervalMs);
    } catch (error) {
      if (breaker.isOpen) {
        // The broker failed (or was not called: open). No timer: the breaker's half-open event is the next attempt.
        if (!(error instanceof CircuitOpenError)) this.brokerFailed(error);
        return;
      }
      this.failures += 1;
      const delay = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** (this.failures - 1));
      this.backoffUntil = Date.now() + delay;
      if (this.failures === 1 || this.failures % 10 === 0) {
        this.logger.warn({
          msg: 'outbox unavailable to the broker relay; events wait in the outbox',
          retryInMs: delay,
          err: describe(error),
        });
      }
      this.schedule(delay);
    }
  }

  private async publishBatch(publisher: BrokerPublisher, breaker: CircuitBreaker): Promise<number> {
    const now = this.clock.now();
    const rows = await this.store.claimUnpublished(now, new Date(now.getTime() + PUBLISH_LEASE_MS), BATCH);
    if (rows.length === 0) return 0;
    const seqs = rows.map((row) => row.seq);
    try {
      const messages = rows.map((row) =>
        toBrokerMessage(toIntegrationEvent(row), row.traceContext, randomBytes(8).toString('hex'), row.traceState),
      );
      await breaker.run(() => publisher.publish(messages));
    } catch (error) {
      await this.store.releasePublishClaims(seqs).catch(() => seqs.forEach((seq) => this.unreleased.add(seq)));
      throw error;
    }
    try {
      await this.store.markPublished(seqs, this.clock.now());
    } catch (error) {
      seqs.forEach((seq) => this.confirmedUnmarked.add(seq));
      throw error;
    }
    this.monitor.recordPublished(rows.length);
    return rows.length;
  }

  private async settleStranded(): Promise<void> {
    if (this.confirmedUnmarked.size > 0) {
      const seqs = [...this.confirmedUnmarked];
      await this.store.markPublished(seqs, this.clock.now());
      seqs.forEach((seq) => this.confirmedUnmarked.delete(seq));
      this.monitor.recordPublished(seqs.length);
    }
    if (this.unreleased.size > 0) {
      const seqs = [...this.unreleased];
      await this.store.releasePublishClaims(seqs);
      seqs.forEach((seq) => this.unreleased.delete(seq));
    }
  }

  private brokerFailed(error: unknown): void {
    this.brokerFailures += 1;
    if (this.brokerFailures === 1 || this.brokerFailures % 10 === 0) {
      this.logger.warn({
        msg: 'broker unreachable; events wait in the outbox',
        failedAttempts: this.brokerFailures,
        err: describe(error),
      });
    }
  }

  /** A safety net besides the commit signal: rows written by other instances, and retries after an outage. */
  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), delayMs);
    this.timer.unref();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
