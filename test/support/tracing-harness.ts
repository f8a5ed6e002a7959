import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { startTelemetry } from '../../src/platform/telemetry/start-telemetry.js';
import { registerTelemetry } from '../../src/platform/telemetry/tracing.js';

export interface TracingHarness {
  readonly exporter: InMemorySpanExporter;
  /** Finished spans named `name` (exact) so far; flushed first (simple processors wait for the resource). */
  spans(name?: string): Promise<ReadableSpan[]>;
  stop(): Promise<void>;
}

/**
 * The application's real telemetry set-up (startTelemetry: NodeSDK, context manager, propagator, sampler), with
 * spans going synchronously to memory instead of OTLP, and without patching http/mysql2/ioredis in the test process
 * (the process-level test covers those). Start it before the app is created: the pipelines decide at start-up.
 * `stop` shuts the SDK down and clears every global, so the next test file can start its own.
 */
export function startTracingHarness(): TracingHarness {
  const exporter = new InMemorySpanExporter();
  const handle = startTelemetry({ spanProcessor: new SimpleSpanProcessor({ exporter }), instrument: false });
  return {
    exporter,
    spans: async (name) => {
      await handle.forceFlush();
      return exporter.getFinishedSpans().filter((span) => name === undefined || span.name === name);
    },
    stop: async () => {
      await handle.shutdown();
      registerTelemetry(undefined);
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** The parent span id of a finished span (sdk-trace 3 keeps it in `parentSpanContext`). */
export function parentSpanId(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}
