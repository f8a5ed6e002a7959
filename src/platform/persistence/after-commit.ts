import { Injectable, Logger } from '@nestjs/common';
import type { DomainEvent } from '../../shared/domain/domain-event.js';
import { EventListeners, type DomainEventClass, type EventListener } from './event-listeners.js';

export type { DomainEventClass } from './event-listeners.js';

/**
 * Awaited reactions to committed units of work: what the answer must already reflect on this instance (cache
 * invalidation, SPEC §4a read-your-writes). The CQRS event bus does not await its handlers, and the relay runs
 * after the answer; `UnitOfWork.run` resolves only after these listeners have settled.
 *
 * Listeners are not durable (a crash between commit and listener loses the call): use them only for effects whose
 * loss costs nothing a TTL does not repair. Anything another context does about an event belongs in the outbox.
 * Matching is by the event's exact class (no subclass matching), one map look-up per event.
 */
@Injectable()
export class AfterCommit {
  private readonly logger = new Logger(AfterCommit.name);
  private readonly listeners = new EventListeners();

  /**
   * `listener` runs after every committed unit of work that recorded an event of one of `eventTypes`, once per
   * such event, and `UnitOfWork.run` resolves only after it has settled. A listener's failure is logged (warn),
   * never thrown: the write is committed. Register in `onModuleInit`. For classes of different types, name the
   * union: `on<ProductChanged | ProductArchived>([ProductChanged, ProductArchived], (e) => …)`.
   */
  on<E extends DomainEvent>(
    eventTypes: ReadonlyArray<DomainEventClass<E>>,
    listener: (event: E) => Promise<void> | void,
  ): void {
    this.listeners.add(eventTypes, listener);
  }

  /**
   * Runs the listeners of `events`; undefined (nothing to await) when none matches, so the hot path of a write
   * without listeners allocates no promise. Never rejects.
   */
  dispatch(events: readonly DomainEvent[]): Promise<void> | undefined {
    if (this.listeners.isEmpty) return undefined;
    let running: Promise<void>[] | undefined;
    for (const event of events) {
      const listeners = this.listeners.of(event);
      if (listeners === undefined) continue;
      for (const listener of listeners) (running ??= []).push(this.settle(listener, event));
    }
    return running === undefined ? undefined : Promise.all(running).then(() => undefined);
  }

  private async settle(listener: EventListener, event: DomainEvent): Promise<void> {
    try {
      await listener(event);
    } catch (error) {
      this.logger.warn(
        `after-commit listener failed for ${event.type} ${event.aggregateId}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
