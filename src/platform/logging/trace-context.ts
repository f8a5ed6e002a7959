import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { activeSpanContext, toTraceparent, tracingEnabled } from '../telemetry/tracing.js';

/** What an outbox row stores of the work that caused its event (see `TraceContext.propagation`). */
export interface StoredTraceContext {
  /** W3C `traceparent` when tracing is on; the request id (the logs' `traceId`) when it is off. */
  readonly traceContext: string | null;
  /** W3C `tracestate` of that span, when it has one. */
  readonly traceState: string | null;
}

/**
 * The trace of the work in progress — the request's, or the one an outbox row carried into an asynchronous handler.
 *
 * With tracing on (docs/ARCHITECTURE.md, "Tracing") that is the active OpenTelemetry span. With tracing off it is
 * the `traceId` of the logging context that request-logging.hook.ts opens per request (the request id). Outbox rows
 * store it, and the relay continues it around each handler, so one id follows a flow from the request through
 * every reaction.
 */
@Injectable()
export class TraceContext {
  constructor(private readonly logger: PinoLogger) {}

  /** The trace id the logs carry now. */
  current(): string | undefined {
    const span = tracingEnabled() ? activeSpanContext() : undefined;
    if (span !== undefined) return span.traceId;
    // The logger is missing only outside an application (hand-wired tests): then there is no trace to carry.
    const logger = this.logger.logger as PinoLogger['logger'] | undefined;
    const traceId = (logger?.bindings() as { traceId?: unknown } | undefined)?.traceId;
    return typeof traceId === 'string' ? traceId : undefined;
  }

  /** What an outbox row written now stores, for the asynchronous handlers and the broker to continue. */
  propagation(): StoredTraceContext {
    const span = tracingEnabled() ? activeSpanContext() : undefined;
    if (span !== undefined) {
      const state = span.traceState?.serialize();
      return { traceContext: toTraceparent(span), traceState: state === undefined || state === '' ? null : state };
    }
    return { traceContext: this.current() ?? null, traceState: null };
  }

  /** Runs `work` with every log line it writes tagged with these bindings (and the trace id they name). */
  run<T>(bindings: { traceId?: string | null } & Record<string, unknown>, work: () => Promise<T>): Promise<T> {
    let result: Promise<T> | undefined;
    this.logger.runInContext(
      () => {
        result = work();
      },
      { bindings },
    );
    return result ?? Promise.reject(new Error('runInContext did not run its callback'));
  }
}

/**
 * The `traceId` a response and its log lines name: the OpenTelemetry trace id when tracing is on, else the request
 * id. The request hook sets `otelTraceId` on traced requests only; without tracing the property never exists.
 */
export function traceIdOfRequest(request: { readonly id: string }): string {
  return (request as { otelTraceId?: string }).otelTraceId || request.id;
}

/**
 * pino's `mixin` while tracing is on: every log line gets the ids of the span active when it is written (a query
 * handler's, an event handler's, the request's). A line that names its own `traceId` keeps it.
 */
export function traceIdsMixin(fields: object): Record<string, string> {
  if ((fields as { traceId?: unknown }).traceId !== undefined) return {};
  const span = activeSpanContext();
  return span === undefined ? {} : { traceId: span.traceId, spanId: span.spanId };
}
