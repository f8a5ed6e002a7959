import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '../../shared/domain/domain-event.js';
import { EventListeners, type DomainEventClass } from './event-listeners.js';

/**
 * Reactions that must commit or roll back with the write that caused them: projections into read models that a
 * client reads right after the answer (SPEC §4a read-your-writes), on every instance, with no lag to wait out.
 *
 * The unit of work calls the listeners inside the transaction, after the work and before the outbox write, once
 * per recorded event in the order the events were recorded; they use the transaction through the repositories
 * (`TransactionContext`). A listener that throws rolls the whole unit of work back, so keep them to local,
 * idempotent table writes — anything slow or remote, or anything another context does, belongs in the outbox.
 * A deadlock retry runs them again with the retried work.
 */
@Injectable()
export class BeforeCommit {
  private readonly listeners = new EventListeners();

  /** Register in `onModuleInit`. Matching is by the event's exact class, like `AfterCommit.on`. */
  on<E extends DomainEvent>(
    eventTypes: ReadonlyArray<DomainEventClass<E>>,
    listener: (event: E) => Promise<void> | void,
  ): void {
    this.listeners.add(eventTypes, listener);
  }

  /** Runs the listeners of `events` one after the other (they share one connection); rejects with the first failure. */
  async dispatch(events: readonly DomainEvent[]): Promise<void> {
    if (this.listeners.isEmpty) return;
    for (const event of events) {
      const listeners = this.listeners.of(event);
      if (listeners === undefined) continue;
      for (const listener of listeners) await listener(event);
    }
  }
}
