import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { inSpan, orderlyTracer, tracingEnabled } from './tracing.js';

/** The metadata keys `@QueryHandler` and `@EventsHandler` set (@nestjs/cqrs 12 does not export them). */
export const QUERY_HANDLER_METADATA = '__queryHandler__';
export const EVENTS_HANDLER_METADATA = '__eventsHandler__';

type QueryHandlerInstance = { execute: (query: unknown) => Promise<unknown> };
type LocalEventHandlerInstance = { handle: (event: unknown) => unknown };

/**
 * Puts every `@QueryHandler` in a span named `query <HandlerClass>` (failures recorded on it), the way
 * CommandPipeline wraps command handlers: once, at start-up, by replacing the instance's `execute`, which the CQRS
 * query bus looks up on every call. Queries need no transaction, so this is all a query pipeline does for now —
 * and only when tracing is on: otherwise no handler is touched and a query costs exactly what it did.
 *
 * Local domain-event handlers (`@EventsHandler`, run by the CQRS event bus after a commit, before the answer) get a
 * span `domain-event <HandlerClass>` the same way, around `handle`. Integration-event handlers get theirs from the
 * outbox relay (`event <handler name>`).
 */
@Injectable()
export class QueryPipeline implements OnModuleInit {
  private readonly wrapped = new WeakSet<object>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    if (!tracingEnabled()) return;
    const tracer = orderlyTracer();
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      const metatype = wrapper.metatype as (abstract new (...args: never[]) => unknown) | null | undefined;
      if (instance === null || typeof instance !== 'object' || metatype === null || metatype === undefined) continue;
      if (this.wrapped.has(instance)) continue;
      const name = metatype.name;
      if (Reflect.getMetadata(QUERY_HANDLER_METADATA, metatype) !== undefined) {
        const handler = instance as QueryHandlerInstance;
        if (typeof handler.execute !== 'function') continue;
        this.wrapped.add(handler);
        const execute = handler.execute.bind(handler);
        handler.execute = (query: unknown) =>
          inSpan(
            tracer,
            `query ${name}`,
            { attributes: { 'orderly.handler': name, 'orderly.query': messageName(query) } },
            () => execute(query),
          );
      } else if (Reflect.getMetadata(EVENTS_HANDLER_METADATA, metatype) !== undefined) {
        const handler = instance as LocalEventHandlerInstance;
        if (typeof handler.handle !== 'function') continue;
        this.wrapped.add(handler);
        const handle = handler.handle.bind(handler);
        handler.handle = (event: unknown) =>
          inSpan(
            tracer,
            `domain-event ${name}`,
            { attributes: { 'orderly.handler': name, 'orderly.event': messageName(event) } },
            async () => {
              await handle(event);
            },
          );
      }
    }
  }
}

function messageName(message: unknown): string {
  return (message as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'unknown';
}
