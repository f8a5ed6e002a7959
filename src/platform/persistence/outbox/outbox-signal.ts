import { Injectable } from '@nestjs/common';

type Listener = (eventIds: readonly string[]) => void;

/**
 * The unit of work announces the outbox rows a transaction committed; the relay listens and delivers them at once,
 * so the happy path has no polling delay. Losing a signal (a crash right after commit) only delays delivery until
 * the relay's next poll: the rows are already durable.
 */
@Injectable()
export class OutboxSignal {
  private readonly listeners: Listener[] = [];

  onCommitted(listener: Listener): void {
    this.listeners.push(listener);
  }

  committed(eventIds: readonly string[]): void {
    if (eventIds.length === 0) return;
    for (const listener of this.listeners) listener(eventIds);
  }
}
