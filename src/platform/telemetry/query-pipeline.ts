import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { inSpan, orderlyTracer, tracingEnabled } from './tracing.js';

/** The metadata key `@QueryHandler` sets (@nestjs/cqrs 12 does not export it from its entry point). */
export const QUERY_HANDLER_METADATA = '__queryHandler__';

type QueryHandlerInstance = { execute: (query: unknown) => Promise<unknown> };

/**
 * Puts every `@QueryHandler` in a span named `query <HandlerClass>` (failures recorded on it), the way
 * CommandPipeline wraps command handlers: once, at start-up, by replacing the instance's `execute`, which the CQRS
 * query bus looks up on every call. Queries need no transaction, so this is all a query pipeline does for now —
 * and only when tracing is on: otherwise no handler is touched and a query costs exactly what it did.
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
      if (Reflect.getMetadata(QUERY_HANDLER_METADATA, metatype) === undefined) continue;
      const handler = instance as QueryHandlerInstance;
      if (this.wrapped.has(handler) || typeof handler.execute !== 'function') continue;
      this.wrapped.add(handler);
      const name = metatype.name;
      const execute = handler.execute.bind(handler);
      handler.execute = (query: unknown) =>
        inSpan(
          tracer,
          `query ${name}`,
          { attributes: { 'orderly.handler': name, 'orderly.query': queryName(query) } },
          () => execute(query),
        );
    }
  }
}

function queryName(query: unknown): string {
  return (query as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'unknown';
}
