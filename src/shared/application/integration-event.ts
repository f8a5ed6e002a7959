import { applyDecorators, Injectable, SetMetadata } from '@nestjs/common';

/**
 * An event as every subscriber sees it — in-process handlers and, with the same fields, consumers of the broker:
 * `{id, type, version, occurredAt, payload}` plus the id of the aggregate that recorded it. `payload` is typed by
 * the publishing context's `contracts/`.
 */
export interface IntegrationEvent<TPayload = Readonly<Record<string, unknown>>, TType extends string = string> {
  /** UUID v7: unique and time-ordered; the inbox and broker consumers deduplicate by it. */
  readonly id: string;
  readonly type: TType;
  readonly version: number;
  /** ISO-8601, UTC. */
  readonly occurredAt: string;
  readonly aggregateId: string;
  readonly payload: TPayload;
}

/**
 * Reacts to integration events, durably: the relay calls `handle` once per event in a transaction of its own that
 * also records (event id, handler name) in the inbox, retries failures with backoff and dead-letters the event
 * after OUTBOX_MAX_ATTEMPTS. So `handle` must only change the database through repositories (a retry or a
 * re-delivery runs it again from scratch); anything else it does must be idempotent.
 */
export interface IntegrationEventHandler<TEvent extends IntegrationEvent = IntegrationEvent> {
  handle(event: TEvent): Promise<void>;
}

export const INTEGRATION_EVENT_SUBSCRIPTION = 'orderly:integrationEventSubscription';

export type EventPayloadFilter = (payload: Readonly<Record<string, unknown>>) => boolean;

export interface IntegrationEventSubscription {
  readonly types: readonly string[];
  /** The handler's name in the inbox and in dead letters: stable across releases (renaming re-delivers). */
  readonly name: string;
  /** Only events whose payload passes are handed to the handler; absent = every event of the types. */
  readonly where?: EventPayloadFilter;
}

export interface SubscriptionOptions<TPayload> {
  name?: string;
  /**
   * Narrows the subscription to the events a handler acts on (promotions: only orders with a coupon). Events it
   * refuses cost nothing: no inbox row, no transaction — and an event no handler accepts is written to the outbox
   * already delivered. It must be a pure function of the payload: it is asked when the event is written and again
   * when it is delivered.
   */
  where?: (payload: TPayload) => boolean;
}

/**
 * Subscribes a class to one or more event types (`@OnIntegrationEvent('identity.user_registered')`). The class is
 * an ordinary provider of its module; the messaging platform finds it by this metadata. `name` defaults to the
 * class name; set it explicitly before renaming a class that has already handled events.
 */
export function OnIntegrationEvent<TPayload = Readonly<Record<string, unknown>>>(
  types: string | readonly string[],
  options: SubscriptionOptions<TPayload> = {},
): ClassDecorator {
  const list = typeof types === 'string' ? [types] : [...types];
  return (target) => {
    const subscription: IntegrationEventSubscription = {
      types: list,
      name: options.name ?? target.name,
      ...(options.where === undefined ? {} : { where: options.where as unknown as EventPayloadFilter }),
    };
    applyDecorators(Injectable(), SetMetadata(INTEGRATION_EVENT_SUBSCRIPTION, subscription))(target);
  };
}
