import type { DiscoveryService } from '@nestjs/core';
import { OutboxMonitor } from '../../src/platform/messaging/outbox-monitor.js';
import { OutboxRelay } from '../../src/platform/messaging/outbox-relay.js';
import { IntegrationEventHandlers } from '../../src/platform/messaging/integration-event-handlers.js';
import { SystemClock } from '../../src/platform/runtime/system-clock.js';
import { AggregateRoot } from '../../src/shared/domain/aggregate-root.js';
import { DomainEvent } from '../../src/shared/domain/domain-event.js';
import type { IntegrationEvent, IntegrationEventHandler } from '../../src/shared/application/integration-event.js';
import type { PersistenceHarness } from './persistence-harness.js';

/** An event type of the test's own, so rows other tests left in a shared database are never counted. */
export class TestEvent extends DomainEvent {
  constructor(
    readonly type: string,
    aggregateId: string,
    readonly n: number,
  ) {
    super(aggregateId, new Date());
  }

  payload() {
    return { n: this.n };
  }
}

/** An aggregate with no table: saving it through `harness.context.track` writes only its events. */
export class EventSource extends AggregateRoot {
  constructor(id: string) {
    super(id);
  }

  emit(type: string, n: number): this {
    this.record(new TestEvent(type, this.id, n));
    return this;
  }
}

/** Writes events through the real unit of work (one transaction per call) and returns their ids. */
export async function writeEvents(harness: PersistenceHarness, sources: readonly EventSource[]): Promise<void> {
  await harness.unitOfWork.run(async () => {
    for (const source of sources) harness.context.track(source);
  });
}

export interface Relay {
  readonly relay: OutboxRelay;
  readonly handlers: IntegrationEventHandlers;
  readonly monitor: OutboxMonitor;
  subscribe(name: string, types: string | readonly string[], handle: (event: IntegrationEvent) => Promise<void>): void;
  start(): void;
  stop(): Promise<void>;
}

/** A relay wired by hand on a harness, as one application instance would have it. */
export function createRelay(harness: PersistenceHarness): Relay {
  const handlers = new IntegrationEventHandlers({ getProviders: () => [] } as unknown as DiscoveryService);
  const monitor = new OutboxMonitor(harness.outbox);
  const relay = new OutboxRelay(
    harness.outbox,
    handlers,
    harness.unitOfWork,
    harness.trace,
    new SystemClock(),
    harness.settings,
    monitor,
    harness.signal,
  );
  return {
    relay,
    handlers,
    monitor,
    subscribe(name, types, handle) {
      const handler: IntegrationEventHandler = { handle };
      handlers.register({ name, types: typeof types === 'string' ? [types] : types }, handler);
    },
    start: () => relay.onApplicationBootstrap(),
    stop: () => relay.beforeApplicationShutdown(),
  };
}
