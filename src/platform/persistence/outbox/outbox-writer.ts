import { Injectable, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../../shared/application/clock.js';
import { IdGenerator } from '../../../shared/application/id-generator.js';
import type { DomainEvent } from '../../../shared/domain/domain-event.js';
import { TraceContext } from '../../logging/trace-context.js';
import { OutboxEventOrmEntity } from './outbox-event.orm-entity.js';
import { OutboxSettings } from './outbox-settings.js';
import { OutboxSubscriptions } from './outbox-subscriptions.js';

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
    const rows = events.map((event): Omit<OutboxEventOrmEntity, 'seq'> => ({
      id: this.ids.next(),
      type: event.type,
      version: event.version,
      aggregateId: event.aggregateId,
      payload: JSON.stringify(event.payload()),
      occurredAt: event.occurredAt,
      traceContext,
      traceState,
      attempts: 0,
      nextAttemptAt: now,
      claimedUntil: null,
      // Nobody in the process handles it: nothing for the relay to deliver (it still goes to the broker).
      deliveredAt: this.subscriptions === undefined || this.subscriptions.isSubscribed(event.type) ? null : now,
      publishedAt: this.settings.brokerEnabled ? null : now,
      publishClaimedUntil: null,
      lastError: null,
    }));
    await manager.getRepository(OutboxEventOrmEntity).insert(rows);
    return rows.map((row) => row.id);
  }
}
