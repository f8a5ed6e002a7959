import { Injectable, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../../shared/application/clock.js';
import { IdGenerator } from '../../../shared/application/id-generator.js';
import type { DomainEvent } from '../../../shared/domain/domain-event.js';
import { TraceContext } from '../../logging/trace-context.js';
import { executeSql, sqlDate } from '../raw-sql.js';
import type { OutboxEventOrmEntity } from './outbox-event.orm-entity.js';
import { OutboxSettings } from './outbox-settings.js';
import { OutboxSubscriptions } from './outbox-subscriptions.js';

const OUTBOX_COLUMNS =
  'id, type, version, aggregate_id, payload, occurred_at, trace_context, trace_state, attempts, next_attempt_at, ' +
  'delivered_at, published_at';
const OUTBOX_ROW_PLACEHOLDERS = `(${OUTBOX_COLUMNS.split(',')
  .map(() => '?')
  .join(', ')})`;

/**
 * Turns the events a transaction's aggregates recorded into outbox rows, inside that transaction. The only writer
 * of outbox rows: repositories and handlers never write them by hand.
 */
@Injectable()
export class OutboxWriter {
  constructor(
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly trace: TraceContext,
    private readonly settings: OutboxSettings,
    // Absent (harnesses without the messaging platform): every row waits for the relay, as if subscribed.
    @Optional() private readonly subscriptions?: OutboxSubscriptions,
  ) {}

  /** Returns the ids of the rows written, for the relay to deliver once the transaction has committed. */
  async write(manager: EntityManager, events: readonly DomainEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    const now = this.clock.now();
    // The command's span when tracing is on (its traceparent and tracestate), else the request id.
    const { traceContext, traceState } = this.trace.propagation();
    const rows = events.map((event): Omit<OutboxEventOrmEntity, 'seq'> => {
      const payload = event.payload();
      return {
        id: this.ids.next(),
        type: event.type,
        version: event.version,
        aggregateId: event.aggregateId,
        payload: JSON.stringify(payload),
        occurredAt: event.occurredAt,
        traceContext,
        traceState,
        attempts: 0,
        nextAttemptAt: now,
        claimedUntil: null,
        // Nobody in the process handles it: nothing for the relay to deliver (it still goes to the broker).
        deliveredAt:
          this.subscriptions === undefined || this.subscriptions.isSubscribed(event.type, payload) ? null : now,
        publishedAt: this.settings.brokerEnabled ? null : now,
        publishClaimedUntil: null,
        lastError: null,
      };
    });
    // One multi-row INSERT in plain SQL (raw-sql.ts: the query builder's CPU cost, on every write of the service).
    const at = (date: Date | null) => (date === null ? null : sqlDate(manager, date));
    await executeSql(
      manager,
      `INSERT INTO outbox_events (${OUTBOX_COLUMNS}) VALUES ${rows.map(() => OUTBOX_ROW_PLACEHOLDERS).join(', ')}`,
      rows.flatMap((row) => [
        row.id,
        row.type,
        row.version,
        row.aggregateId,
        row.payload,
        at(row.occurredAt),
        row.traceContext,
        row.traceState,
        row.attempts,
        at(row.nextAttemptAt),
        at(row.deliveredAt),
        at(row.publishedAt),
      ]),
    );
    return rows.map((row) => row.id);
  }
}
