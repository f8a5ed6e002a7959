import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../../shared/application/clock.js';
import type { IntegrationEvent } from '../../shared/application/integration-event.js';
import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { TraceContext } from '../logging/trace-context.js';
import { fromTraceparent, inSpan, orderlyTracer, SpanKind, traceIdOf, tracingEnabled } from '../telemetry/tracing.js';
import { OutboxSettings } from '../persistence/outbox/outbox-settings.js';
import { OutboxSignal } from '../persistence/outbox/outbox-signal.js';
import { OutboxStore, type FailedHandler, type OutboxRecord } from '../persistence/outbox/outbox-store.js';
import { TypeOrmUnitOfWork } from '../persistence/typeorm-unit-of-work.js';
import { IntegrationEventHandlers, type RegisteredHandler } from './integration-event-handlers.js';
import { OutboxMonitor } from './outbox-monitor.js';

const MAX_RETRY_DELAY_MS = 60 * 60_000;
const PRUNE_EVERY_MS = 60_000;
const PRUNE_BATCH = 1_000;
/** While polls fail (database down) the poller waits OUTBOX_POLL_INTERVAL × 2^n between them, up to this. */
const MAX_POLL_BACKOFF_MS = 10_000;

/**
 * Delivers outbox rows to the in-process integration-event handlers, at least once and — through the inbox —
 * with each handler's effect exactly once.
 *
 * - Right after a commit the unit of work signals the new rows and they are delivered at once (no polling delay).
 * - A poller every OUTBOX_POLL_INTERVAL claims whatever is due: rows whose immediate delivery was lost to a crash,
 *   retries whose backoff has passed, replayed dead letters. It also prunes finished rows past OUTBOX_RETENTION.
 * - Each handler runs in its own transaction, which also writes its inbox row; a failing handler does not stop the
 *   others. The row is retried (1 s × 2^n with jitter) until every handler has it, or dead-lettered for the
 *   handlers still failing after OUTBOX_MAX_ATTEMPTS.
 * - Several instances share the work safely: see OutboxStore's claim.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private poller: NodeJS.Timeout | undefined;
  private polling = false;
  private pollAgain = false;
  private readonly pending = new Set<string>();
  private draining = false;
  private stopped = true;
  private lastPrune = 0;
  /** Consecutive failed polls (database down), and until when the poller skips its ticks. */
  private pollFailures = 0;
  private pollBackoffUntil = 0;
  /** Rows this instance claimed and could not finish or release (database lost mid-batch): released first thing. */
  private readonly stranded = new Set<number>();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Decided once: with tracing off, handlers run without any span code. */
  private readonly tracer = tracingEnabled() ? orderlyTracer() : undefined;

  constructor(
    private readonly store: OutboxStore,
    private readonly handlers: IntegrationEventHandlers,
    private readonly unitOfWork: TypeOrmUnitOfWork,
    private readonly trace: TraceContext,
    private readonly clock: Clock,
    private readonly settings: OutboxSettings,
    private readonly monitor: OutboxMonitor,
    signal: OutboxSignal,
  ) {
    signal.onCommitted((ids) => this.deliverSoon(ids));
  }

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.poller = setInterval(() => this.poll(), this.settings.pollIntervalMs);
    this.poller.unref();
    // Whatever a previous process left undelivered is picked up now, not a poll interval later.
    this.poll();
  }

  /** SIGTERM: no new batches; the ones in flight finish (SPEC §4 graceful shutdown) before the pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.poller !== undefined) clearInterval(this.poller);
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Runs one poll now and resolves when it is done (tests, and operators' tooling). */
  async pollNow(): Promise<void> {
    await this.track(this.pollOnce());
  }

  private deliverSoon(eventIds: readonly string[]): void {
    if (this.stopped) return;
    if (this.pollFailures > 0) {
      // A commit went through: the database is back. Resume polling now rather than at the end of the backoff.
      this.pollBackoffUntil = 0;
      this.poll();
    }
    for (const id of eventIds) this.pending.add(id);
    if (!this.draining) {
      this.draining = true;
      // Claims made for the request that committed are not part of its trace (ROOT_CONTEXT: no parent, and the
      // sampler starts no trace with a query); each handler's span continues the stored context instead.
      context.with(ROOT_CONTEXT, () => setImmediate(() => void this.track(this.drainPending())));
    }
  }

  private async drainPending(): Promise<void> {
    try {
      while (this.pending.size > 0 && !this.stopped) {
        const ids = [...this.pending].slice(0, this.settings.batchSize);
        ids.forEach((id) => this.pending.delete(id));
        const { taken } = await this.claimAndDeliver(ids);
        // Rows not taken wait behind an earlier event of their aggregate (or another relay has them). While this
        // loop makes progress they are tried again, so an aggregate's next event follows right after the previous;
        // what is left when it stops is the poller's.
        if (taken.size > 0) ids.filter((id) => !taken.has(id)).forEach((id) => this.pending.add(id));
      }
    } catch (error) {
      // The rows are durable: the poller delivers them. Only the low-latency path was lost.
      this.logger.warn({ msg: 'immediate delivery failed; the poller will retry', err: error });
    } finally {
      this.draining = false;
    }
  }

  private poll(): void {
    if (this.stopped || Date.now() < this.pollBackoffUntil) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    void this.track(this.pollOnce());
  }

  private async pollOnce(): Promise<void> {
    this.polling = true;
    try {
      if (this.stranded.size > 0) {
        const seqs = [...this.stranded];
        await this.store.release(seqs);
        seqs.forEach((seq) => this.stranded.delete(seq));
      }
      do {
        this.pollAgain = false;
        let result;
        do {
          result = await this.claimAndDeliver(undefined);
        } while (result.full && !this.stopped);
      } while (this.pollAgain && !this.stopped);
      await this.pruneIfDue();
      if (this.pollFailures > 0) this.logger.log({ msg: 'outbox poll recovered', failedPolls: this.pollFailures });
      this.pollFailures = 0;
      this.pollBackoffUntil = 0;
    } catch (error) {
      // Backs off while the database is down: no tight loop, and one log line per outage (then every tenth try).
      this.pollFailures += 1;
      const delay = Math.min(MAX_POLL_BACKOFF_MS, this.settings.pollIntervalMs * 2 ** (this.pollFailures - 1));
      this.pollBackoffUntil = Date.now() + delay;
      if (this.pollFailures === 1 || this.pollFailures % 10 === 0) {
        this.logger.warn({
          msg: 'outbox poll failed; backing off',
          failedPolls: this.pollFailures,
          retryInMs: delay,
          err: error,
        });
      }
    } finally {
      this.polling = false;
    }
  }

  private async claimAndDeliver(
    eventIds: readonly string[] | undefined,
  ): Promise<{ full: boolean; taken: Set<string> }> {
    const now = this.clock.now();
    const leaseUntil = new Date(now.getTime() + this.settings.claimLeaseMs);
    const { claimed, delivered } = await this.store.claimDue(
      now,
      leaseUntil,
      this.settings.batchSize,
      (row) => this.handlers.handles(row.type, () => toIntegrationEvent(row).payload),
      eventIds,
    );
    delivered.forEach((row) => this.monitor.recordDelivered(row.occurredAt, now));
    try {
      await this.deliverBatch(claimed);
    } catch (error) {
      // Without this the rows would wait out their lease (30 s) after the database is back. A row finished in the
      // meantime is unaffected by a release, and a handler run twice is absorbed by the inbox.
      claimed.forEach((row) => this.stranded.add(row.seq));
      throw error;
    }
    const taken = new Set([...claimed, ...delivered].map((row) => row.id));
    return { full: taken.size >= this.settings.batchSize, taken };
  }

  /** Aggregates side by side, each aggregate's events one after the other, stopping at the first that fails. */
  private async deliverBatch(rows: readonly OutboxRecord[]): Promise<void> {
    const byAggregate = new Map<string, OutboxRecord[]>();
    for (const row of rows) byAggregate.set(row.aggregateId, [...(byAggregate.get(row.aggregateId) ?? []), row]);
    const queues = [...byAggregate.values()];
    const worker = async () => {
      for (let queue = queues.shift(); queue !== undefined; queue = queues.shift()) {
        for (let index = 0; index < queue.length; index++) {
          const delivered = !this.stopped && (await this.deliverRow(queue[index]));
          if (!delivered) {
            await this.store.release(queue.slice(this.stopped ? index : index + 1).map((row) => row.seq));
            break;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.settings.deliveryConcurrency, queues.length) }, worker));
  }

  /** True when the row is finished (delivered, or dead-lettered), false when it waits for a retry. */
  private async deliverRow(row: OutboxRecord): Promise<boolean> {
    const event = toIntegrationEvent(row);
    const failures: FailedHandler[] = [];
    const handlers = this.handlers.for(row.type, event.payload);
    let delivered = false;
    for (const [index, registered] of handlers.entries()) {
      // The last handler, when all before it succeeded, marks the row delivered in its own transaction: one
      // commit per event and handler instead of two (a commit costs an fsync; see the outbox bench).
      const finishes = index === handlers.length - 1 && failures.length === 0;
      try {
        await this.deliverTo(registered, event, row, finishes ? row.seq : undefined);
        delivered = finishes;
      } catch (error) {
        failures.push({ handler: registered.name, error: describe(error) });
      }
    }
    const now = this.clock.now();
    if (failures.length === 0) {
      if (!delivered) await this.store.markDelivered(row.seq, now);
      this.monitor.recordDelivered(row.occurredAt, now);
      return true;
    }
    const attempts = row.attempts + 1;
    if (attempts >= this.settings.maxAttempts) {
      const letters = await this.store.deadLetter(row, attempts, failures, now);
      this.monitor.recordDeadLettered(letters.length);
      for (const failure of failures) {
        this.logger.error({
          msg: 'event dead-lettered',
          traceId: traceIdOf(row.traceContext),
          eventId: row.id,
          eventType: row.type,
          handler: failure.handler,
          attempts,
          lastError: failure.error,
        });
      }
      return true;
    }
    const delay = Math.min(MAX_RETRY_DELAY_MS, this.settings.retryBaseMs * 2 ** (attempts - 1));
    const nextAttemptAt = new Date(now.getTime() + delay * (0.5 + Math.random()));
    await this.store.scheduleRetry(
      row.seq,
      attempts,
      nextAttemptAt,
      failures.map((failure) => `${failure.handler}: ${failure.error}`).join('; '),
    );
    this.logger.warn({
      msg: 'event handler failed; will retry',
      traceId: traceIdOf(row.traceContext),
      eventId: row.id,
      eventType: row.type,
      handlers: failures.map((failure) => failure.handler),
      attempts,
      nextAttemptAt,
    });
    return false;
  }

  /**
   * One handler, one transaction: the inbox row and the handler's changes commit together or not at all — and,
   * for the event's last handler, the row's delivery too (`finishSeq`).
   *
   * The handler continues the trace of the request that caused the event. Tracing on: it runs in a span
   * `event <handler name>` (kind CONSUMER) whose parent is the span stored in the row (the command's), so its
   * queries and log lines are part of that trace; a row without a W3C context starts a new trace. Tracing off:
   * its log lines carry the stored trace id (the request id).
   */
  private deliverTo(
    registered: RegisteredHandler,
    event: IntegrationEvent,
    row: Pick<OutboxRecord, 'traceContext' | 'traceState'>,
    finishSeq: number | undefined,
  ): Promise<void> {
    const work = () =>
      this.unitOfWork.run(
        async () => {
          const now = this.clock.now();
          if (await this.store.recordHandled(event.id, registered.name, now)) await registered.handler.handle(event);
          if (finishSeq !== undefined) await this.store.markDelivered(finishSeq, now);
        },
        // On the connections kept for the relay (WriteLanes): requests queueing for the pool do not stall the saga.
        { background: true },
      );
    const tracer = this.tracer;
    if (tracer === undefined) {
      return this.trace.run(
        { traceId: traceIdOf(row.traceContext) ?? null, eventId: event.id, handler: registered.name },
        work,
      );
    }
    const stored = fromTraceparent(row.traceContext, row.traceState);
    const parent = stored === undefined ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, stored);
    return inSpan(
      tracer,
      `event ${registered.name}`,
      {
        kind: SpanKind.CONSUMER,
        parent,
        attributes: {
          'orderly.handler': registered.name,
          'orderly.event.type': event.type,
          'messaging.message.id': event.id,
          // A row written while tracing was off names its request only: kept so the new trace still finds it.
          ...(stored === undefined && row.traceContext !== null ? { 'orderly.request_id': row.traceContext } : {}),
        },
      },
      // The span's ids come from the logging mixin; the bindings name the event and the handler.
      () => this.trace.run({ eventId: event.id, handler: registered.name }, work),
    );
  }

  private async pruneIfDue(): Promise<void> {
    const now = this.clock.now().getTime();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    const cutoff = new Date(now - this.settings.retentionMs);
    let deleted = 0;
    for (let batch = await this.prune(cutoff); batch > 0 && !this.stopped;) {
      deleted += batch;
      batch = batch >= PRUNE_BATCH ? await this.prune(cutoff) : 0;
    }
    if (deleted > 0) this.logger.log({ msg: 'pruned finished outbox rows', deleted });
  }

  private prune(cutoff: Date): Promise<number> {
    return this.store.prune(cutoff, PRUNE_BATCH, this.settings.brokerEnabled);
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise)).catch(() => undefined);
    return promise;
  }
}

export function toIntegrationEvent(row: OutboxRecord): IntegrationEvent {
  return {
    id: row.id,
    type: row.type,
    version: row.version,
    occurredAt: row.occurredAt.toISOString(),
    aggregateId: row.aggregateId,
    payload: JSON.parse(row.payload) as Readonly<Record<string, unknown>>,
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
