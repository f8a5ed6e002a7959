import { randomBytes } from 'node:crypto';
import {
  Injectable,
  Logger,
  Optional,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Clock } from '../../../shared/application/clock.js';
import { OutboxSettings } from '../../persistence/outbox/outbox-settings.js';
import { OutboxSignal } from '../../persistence/outbox/outbox-signal.js';
import { OutboxStore } from '../../persistence/outbox/outbox-store.js';
import { OutboxMonitor } from '../outbox-monitor.js';
import { toIntegrationEvent } from '../outbox-relay.js';
import { toBrokerMessage } from './broker-message.js';
import { BrokerPublisher } from './broker-publisher.js';

const BATCH = 100;
const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;
/** The broker relay's claim on rows it is publishing; a crashed instance's rows come back after it. */
const PUBLISH_LEASE_MS = 30_000;

/**
 * Publishes every outbox row to the broker, in order, independently of in-process delivery: a broker outage only
 * grows the unpublished backlog (rows wait; readiness and requests are untouched) and backs off from 0.5 s to
 * 30 s between attempts. A row counts as published only once the broker confirmed it; a crash between confirm and
 * the database update publishes it again, so consumers deduplicate by message id (at-least-once).
 */
@Injectable()
export class BrokerRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('BrokerRelay');
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private failures = 0;
  /** While the broker is failing, commits do not trigger attempts: only the backoff timer does. */
  private backoffUntil = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: OutboxStore,
    private readonly clock: Clock,
    private readonly settings: OutboxSettings,
    private readonly monitor: OutboxMonitor,
    signal: OutboxSignal,
    @Optional() private readonly publisher?: BrokerPublisher,
  ) {
    signal.onCommitted(() => this.kick());
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
    await this.publisher?.close();
  }

  /** Publish what is waiting, now (after a commit), unless the broker is in backoff. */
  kick(): void {
    if (Date.now() < this.backoffUntil) return;
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
    if (publisher === undefined) return;
    try {
      do {
        this.again = false;
        let published: number;
        do {
          published = await this.publishBatch(publisher);
        } while (published === BATCH && !this.stopped);
      } while (this.again && !this.stopped);
      this.failures = 0;
      this.backoffUntil = 0;
      this.schedule(this.settings.pollIntervalMs);
    } catch (error) {
      this.failures += 1;
      const delay = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** (this.failures - 1));
      this.backoffUntil = Date.now() + delay;
      if (this.failures === 1 || this.failures % 10 === 0) {
        this.logger.warn({
          msg: 'broker unreachable; events wait in the outbox',
          retryInMs: delay,
          err: describe(error),
        });
      }
      this.schedule(delay);
    }
  }

  private async publishBatch(publisher: BrokerPublisher): Promise<number> {
    const now = this.clock.now();
    const rows = await this.store.claimUnpublished(now, new Date(now.getTime() + PUBLISH_LEASE_MS), BATCH);
    if (rows.length === 0) return 0;
    const seqs = rows.map((row) => row.seq);
    try {
      await publisher.publish(
        rows.map((row) =>
          toBrokerMessage(toIntegrationEvent(row), row.traceContext, randomBytes(8).toString('hex'), row.traceState),
        ),
      );
    } catch (error) {
      await this.store.releasePublishClaims(seqs).catch(() => undefined);
      throw error;
    }
    await this.store.markPublished(seqs, this.clock.now());
    this.monitor.recordPublished(rows.length);
    return rows.length;
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
