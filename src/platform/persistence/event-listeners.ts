import type { DomainEvent } from '../../shared/domain/domain-event.js';

/** A domain event class, as `afterCommit.on([ProductChanged], …)` names it. */
export type DomainEventClass<E extends DomainEvent> = abstract new (...args: never[]) => E;

export type EventListener = (event: DomainEvent) => Promise<void> | void;

/**
 * Listeners by the event's exact class (no subclass matching: one map look-up per event), shared by the unit of
 * work's two hooks — `BeforeCommit` (inside the transaction) and `AfterCommit` (after it).
 */
export class EventListeners {
  private readonly byClass = new Map<unknown, EventListener[]>();

  get isEmpty(): boolean {
    return this.byClass.size === 0;
  }

  add<E extends DomainEvent>(
    eventTypes: ReadonlyArray<DomainEventClass<E>>,
    listener: (event: E) => Promise<void> | void,
  ): void {
    for (const type of eventTypes) {
      const list = this.byClass.get(type) ?? [];
      list.push(listener as EventListener);
      this.byClass.set(type, list);
    }
  }

  of(event: DomainEvent): readonly EventListener[] | undefined {
    return this.byClass.get(event.constructor);
  }
}
