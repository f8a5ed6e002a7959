import {
  context,
  createTraceState,
  isSpanContextValid,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Link,
  type SpanContext,
  type Tracer,
} from '@opentelemetry/api';

/**
 * The application's side of tracing: whether it is on, the tracer the pipelines use, W3C trace-context strings for
 * outbox rows and broker headers, and the flush/shutdown hooks. It never imports the SDK: the preload
 * (`src/telemetry.ts`) starts the SDK and registers its handle here, through a process-global slot, so the app
 * does the same whether it was started with telemetry or not, and tests can register an in-memory provider.
 *
 * Without a handle nothing traces: the pipelines do not wrap handlers in spans at all (decided once, at start-up),
 * and the logs keep the request id as their `traceId` — no per-request cost when OTEL_EXPORTER_OTLP_ENDPOINT is unset.
 */
export interface TelemetryHandle {
  /** Exports what is buffered (the fatal-error policy, before exit). */
  forceFlush(): Promise<void>;
  /** Exports what is buffered and stops (Nest's onApplicationShutdown). Idempotent. */
  shutdown(): Promise<void>;
}

const SLOT = Symbol.for('orderly.telemetry');
type Holder = { [SLOT]?: TelemetryHandle };

/** Called by the preload once the SDK runs, and by tests around an in-memory provider (undefined clears it). */
export function registerTelemetry(handle: TelemetryHandle | undefined): void {
  (globalThis as Holder)[SLOT] = handle;
}

export function activeTelemetry(): TelemetryHandle | undefined {
  return (globalThis as Holder)[SLOT];
}

export function tracingEnabled(): boolean {
  return activeTelemetry() !== undefined;
}

/** The instrumentation scope of every span Orderly creates by hand. */
export const TRACER_NAME = 'orderly';

export function orderlyTracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/** Resolves within `timeoutMs` whatever the exporter does: a dead collector must not hold up an exit. */
export async function flushTelemetry(timeoutMs = 1_000): Promise<void> {
  const handle = activeTelemetry();
  if (handle === undefined) return;
  await bounded(handle.forceFlush(), timeoutMs);
}

export async function shutdownTelemetry(timeoutMs = 2_000): Promise<void> {
  const handle = activeTelemetry();
  if (handle === undefined) return;
  await bounded(handle.shutdown(), timeoutMs);
}

async function bounded(work: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  try {
    await Promise.race([work.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface SpanOptions {
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
  /** The parent; the active context when absent. */
  readonly parent?: Context;
  readonly links?: Link[];
}

/**
 * Runs `work` in a new active span: everything it starts (queries, Redis commands, log lines) is the span's child.
 * A failure is recorded on the span (exception event, status ERROR) and rethrown unchanged.
 */
export function inSpan<T>(tracer: Tracer, name: string, options: SpanOptions, work: () => Promise<T>): Promise<T> {
  const { parent, ...spanOptions } = options;
  return tracer.startActiveSpan(name, spanOptions, parent ?? context.active(), async (span) => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The active span's context when it is a real (recording or sampled-out, but valid) one. */
export function activeSpanContext(): SpanContext | undefined {
  const spanContext = trace.getSpan(context.active())?.spanContext();
  return spanContext !== undefined && isSpanContextValid(spanContext) ? spanContext : undefined;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** W3C `traceparent` (version 00) of a span context. */
export function toTraceparent(spanContext: SpanContext): string {
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}

/** A remote span context from stored W3C strings; undefined for anything else (e.g. a bare request id). */
export function fromTraceparent(
  traceparent: string | null | undefined,
  tracestate?: string | null,
): SpanContext | undefined {
  if (traceparent === null || traceparent === undefined) return undefined;
  const match = TRACEPARENT.exec(traceparent);
  if (match === null) return undefined;
  const spanContext: SpanContext = {
    traceId: match[1],
    spanId: match[2],
    traceFlags: Number.parseInt(match[3], 16) & TraceFlags.SAMPLED,
    isRemote: true,
    traceState:
      tracestate === null || tracestate === undefined || tracestate === '' ? undefined : createTraceState(tracestate),
  };
  return isSpanContextValid(spanContext) ? spanContext : undefined;
}

/**
 * The trace id a stored trace context names: the middle of a `traceparent`, or the stored value itself (with
 * tracing off the outbox row carries the request id, which is then the logs' `traceId`).
 */
export function traceIdOf(stored: string | null | undefined): string | undefined {
  if (stored === null || stored === undefined) return undefined;
  return TRACEPARENT.exec(stored)?.[1] ?? stored;
}

export { SpanKind };
