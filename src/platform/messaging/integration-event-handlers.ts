import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { OutboxSubscriptions } from '../persistence/outbox/outbox-subscriptions.js';
import {
  INTEGRATION_EVENT_SUBSCRIPTION,
  type EventPayloadFilter,
  type IntegrationEventHandler,
  type IntegrationEventSubscription,
} from '../../shared/application/integration-event.js';

export interface RegisteredHandler {
  readonly name: string;
  readonly handler: IntegrationEventHandler;
  /** The subscription's `where`; absent = every event of its types. */
  readonly where?: EventPayloadFilter;
}

const acceptsEverything: EventPayloadFilter = () => true;

/** Every `@OnIntegrationEvent` provider of every module, by event type. Found once, at start-up. */
@Injectable()
export class IntegrationEventHandlers extends OutboxSubscriptions implements OnModuleInit {
  private readonly byType = new Map<string, RegisteredHandler[]>();

  constructor(private readonly discovery: DiscoveryService) {
    super();
  }

  onModuleInit(): void {
    const names = new Set<string>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      const metatype = wrapper.metatype as (abstract new (...args: never[]) => unknown) | null | undefined;
      if (instance === null || typeof instance !== 'object' || metatype === null || metatype === undefined) continue;
      const subscription = Reflect.getMetadata(INTEGRATION_EVENT_SUBSCRIPTION, metatype) as
        IntegrationEventSubscription | undefined;
      if (subscription === undefined) continue;
      if (names.has(subscription.name)) {
        // The inbox tells handlers apart by name: two with one name would skip each other's events.
        throw new Error(`Two integration-event handlers are named "${subscription.name}"; name one explicitly`);
      }
      names.add(subscription.name);
      this.register(subscription, instance as IntegrationEventHandler);
    }
  }

  /** Also used by tests that subscribe a handler of their own. */
  register(subscription: IntegrationEventSubscription, handler: IntegrationEventHandler): void {
    for (const type of subscription.types) {
      const registered: RegisteredHandler = { name: subscription.name, handler, where: subscription.where };
      this.byType.set(type, [...(this.byType.get(type) ?? []), registered]);
    }
  }

  isSubscribed(type: string, payload: Readonly<Record<string, unknown>>): boolean {
    return this.for(type, payload).length > 0;
  }

  /** `isSubscribed` for a stored row: the payload is parsed only when a subscription of the type has a `where`. */
  handles(type: string, payloadOf: () => Readonly<Record<string, unknown>>): boolean {
    const handlers = this.byType.get(type) ?? [];
    if (handlers.every((registered) => registered.where === undefined)) return handlers.length > 0;
    return this.for(type, payloadOf()).length > 0;
  }

  /** The handlers of `type` that accept this payload (their `where`), in registration order. */
  for(type: string, payload: Readonly<Record<string, unknown>>): readonly RegisteredHandler[] {
    const handlers = this.byType.get(type) ?? [];
    return handlers.every((registered) => registered.where === undefined)
      ? handlers
      : handlers.filter((registered) => (registered.where ?? acceptsEverything)(payload));
  }
}
