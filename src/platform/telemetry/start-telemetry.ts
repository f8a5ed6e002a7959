import { SpanKind, trace, type Attributes, type Context, type Link } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MySQL2Instrumentation } from '@opentelemetry/instrumentation-mysql2';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  AlwaysOnSampler,
  ParentBasedSampler,
  SamplingDecision,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SamplingResult,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { registerTelemetry, type TelemetryHandle } from './tracing.js';

/** The service name when OTEL_SERVICE_NAME (or service.name in OTEL_RESOURCE_ATTRIBUTES) does not say otherwise. */
export const DEFAULT_SERVICE_NAME = 'orderly';

/**
 * No trace starts with a client call: a query or Redis command made outside any request or handler (the relays'
 * polls, start-up, the outbox gauges) would otherwise be a one-span trace every poll interval, burying the traces
 * of requests. Everything else follows its parent, or `root` for a new trace.
 */
export class NoClientRootSampler implements Sampler {
  constructor(private readonly root: Sampler = new ParentBasedSampler({ root: new AlwaysOnSampler() })) {}

  shouldSample(
    parent: Context,
    traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    if (kind === SpanKind.CLIENT && trace.getSpanContext(parent) === undefined)
      return { decision: SamplingDecision.NOT_RECORD };
    return this.root.shouldSample(parent, traceId, name, kind, attributes, links);
  }

  toString(): string {
    return `NoClientRootSampler{${this.root.toString()}}`;
  }
}

/**
 * The sampler: NoClientRootSampler over parent-based always-on by default, or over parent-based trace-id ratio for
 * `OTEL_TRACES_SAMPLER=parentbased_traceidratio` (`OTEL_TRACES_SAMPLER_ARG` = the ratio, e.g. 0.1 under heavy load).
 * Any other OTEL_TRACES_SAMPLER value is the SDK's to read (undefined here), without the client-root rule.
 */
export function samplerFromEnv(env: NodeJS.ProcessEnv = process.env): Sampler | undefined {
  const name = (env.OTEL_TRACES_SAMPLER ?? '').trim().toLowerCase();
  if (name === '') return new NoClientRootSampler();
  if (name !== 'parentbased_traceidratio') return undefined;
  const ratio = Number(env.OTEL_TRACES_SAMPLER_ARG ?? '1');
  const bounded = Number.isFinite(ratio) ? Math.min(1, Math.max(0, ratio)) : 1;
  return new NoClientRootSampler(new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(bounded) }));
}

export interface TelemetryOptions {
  /** Tests only: where spans go instead of OTLP/HTTP in batches (e.g. a SimpleSpanProcessor to memory). */
  readonly spanProcessor?: SpanProcessor;
  /** Tests only: false leaves http/mysql2/ioredis unpatched (in-process tests that start and stop the SDK). */
  readonly instrument?: boolean;
}

/**
 * Starts the OpenTelemetry SDK for traces: outgoing HTTP, mysql2 and ioredis spans (a request's own span comes from
 * the Fastify hooks), exported in batches
 * over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (the exporter reads the standard OTEL_EXPORTER_OTLP_* variables,
 * the batch processor OTEL_BSP_*, the sampler OTEL_TRACES_SAMPLER*). No metrics or logs through OTel: metrics are
 * Prometheus' (/metrics), logs are pino's lines on stdout carrying the trace ids.
 *
 * The SDK's own signal handling is not used: Nest's onApplicationShutdown shuts it down (TelemetryModule) and the
 * fatal-error policy flushes it, after the last spans of the process have ended.
 */
export function startTelemetry(options: TelemetryOptions = {}): TelemetryHandle {
  const sdk = new NodeSDK({
    // Detected attributes (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, host, process) are merged over these.
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': DEFAULT_SERVICE_NAME })),
    ...(options.spanProcessor === undefined
      ? { traceExporter: new OTLPTraceExporter() }
      : { spanProcessors: [options.spanProcessor] }),
    sampler: samplerFromEnv(),
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations:
      options.instrument === false
        ? []
        : [
            new HttpInstrumentation({
              // A request's SERVER span is opened by the Fastify hooks (request-logging.hook.ts): the incoming side
              // of this instrumentation cost ~60–100 µs of CPU per request, sampled or not. It traces outgoing calls.
              disableIncomingRequestInstrumentation: true,
              // Outgoing calls that are not part of a traced request (e.g. the exporter's own) start no trace.
              requireParentforOutgoingSpans: true,
            }),
            new MySQL2Instrumentation(),
            new IORedisInstrumentation({ requireParentSpan: true }),
          ],
  });
  sdk.start();
  let stopped: Promise<void> | undefined;
  const handle: TelemetryHandle = {
    forceFlush: async () => {
      // NodeSDK has no forceFlush of its own; the registered provider does.
      const provider = trace.getTracerProvider() as {
        forceFlush?: () => Promise<void>;
        getDelegate?: () => { forceFlush?: () => Promise<void> };
      };
      const target = provider.getDelegate?.() ?? provider;
      await target.forceFlush?.();
    },
    shutdown: () => (stopped ??= sdk.shutdown()),
  };
  registerTelemetry(handle);
  return handle;
}
