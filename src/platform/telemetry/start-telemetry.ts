import {
  context,
  diag,
  DiagConsoleLogger,
  propagation,
  SpanKind,
  trace,
  type Attributes,
  type Context,
  type Link,
  type TextMapPropagator,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  diagLogLevelFromString,
  getNumberFromEnv,
  getStringFromEnv,
  getStringListFromEnv,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MySQL2Instrumentation } from '@opentelemetry/instrumentation-mysql2';
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  osDetector,
  processDetector,
  resourceFromAttributes,
  serviceInstanceIdDetector,
  type ResourceDetector,
} from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  SamplingDecision,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
  type SamplingResult,
  type SpanLimits,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import Module, { createRequire } from 'node:module';
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
 * Starts tracing: outgoing HTTP, mysql2 and ioredis spans (a request's own span comes from the Fastify hooks),
 * exported in batches over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT (the exporter reads the standard
 * OTEL_EXPORTER_OTLP_* variables, the batch processor OTEL_BSP_*, the sampler OTEL_TRACES_SAMPLER*, the span limits
 * OTEL_SPAN_*, the resource OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES). No metrics or logs through OTel: metrics
 * are Prometheus' (/metrics), logs are pino's lines on stdout carrying the trace ids.
 *
 * Built from the SDK's parts — a TracerProvider with a BatchSpanProcessor, an AsyncLocalStorage context manager, the
 * W3C propagators, the instrumentations — and not with `NodeSDK` from `@opentelemetry/sdk-node`, which statically
 * imports every exporter it supports (gRPC, protobuf, Zipkin, Prometheus, the logs and metrics SDKs): 566 modules
 * preloaded instead of 330, ~100 ms of CPU at start-up (idle RSS after start-up measured the same within noise).
 *
 * No signal handling of its own: Nest's onApplicationShutdown shuts it down (TelemetryModule) and the fatal-error
 * policy flushes it, after the last spans of the process have ended.
 */
export function startTelemetry(options: TelemetryOptions = {}): TelemetryHandle {
  const logLevel = getStringFromEnv('OTEL_LOG_LEVEL');
  if (logLevel !== undefined) diag.setLogger(new DiagConsoleLogger(), { logLevel: diagLogLevelFromString(logLevel) });

  const contextManager = new AsyncLocalStorageContextManager();
  contextManager.enable();
  context.setGlobalContextManager(contextManager);
  const propagator = propagatorFromEnv();
  if (propagator !== undefined) propagation.setGlobalPropagator(propagator);

  const provider = new TracerProvider({
    resource: resourceFromEnv(),
    spanProcessors: [options.spanProcessor ?? batchSpanProcessorFromEnv()],
    sampler: samplerFromEnv() ?? standardSamplerFromEnv(),
    spanLimits: spanLimitsFromEnv(),
  });
  trace.setGlobalTracerProvider(provider);

  if (options.instrument !== false) {
    const unpatched = {
      require: Object.getOwnPropertyDescriptor(Module.prototype, 'require'),
      getBuiltinModule: Object.getOwnPropertyDescriptor(process, 'getBuiltinModule'),
    };
    registerInstrumentations({
      tracerProvider: provider,
      instrumentations: [
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
    patchNowAndUnhookRequire(unpatched);
  }

  let stopped: Promise<void> | undefined;
  const handle: TelemetryHandle = {
    forceFlush: () => provider.forceFlush(),
    shutdown: () => (stopped ??= provider.shutdown()),
  };
  registerTelemetry(handle);
  return handle;
}

/**
 * The instrumentations patch CommonJS modules through require-in-the-middle, which replaces `require` for the whole
 * process and, for every one of the ~1,300 CommonJS modules the application loads, resolves the file a second time,
 * parses its package path and looks it up: ~280 ms of CPU and ~9 MB of RSS at start-up here (docs/PERFORMANCE.md).
 * Only four CommonJS modules matter: `http`/`https` (Fastify, the exporter) and `mysql2` (TypeORM `require`s it), and
 * their patches are in place (the methods of the core modules' exports and of mysql2's Connection prototype are
 * wrapped), so requiring them once now patches them for every later `require` and `import`. The original `require`
 * is then put back. ioredis, which the application `import`s, is patched by import-in-the-middle's loader hook
 * (src/telemetry.ts), which stays.
 */
function patchNowAndUnhookRequire(unpatched: {
  require: PropertyDescriptor | undefined;
  getBuiltinModule: PropertyDescriptor | undefined;
}): void {
  const require = createRequire(import.meta.url);
  const modules = ['http', 'https'];
  // mysql2 only where it is used (the server profile): the embedded profile never loads it.
  if ((process.env.DATABASE_URL ?? '').trim() !== '') modules.push('mysql2', 'mysql2/promise');
  for (const name of modules) require(name);
  if (unpatched.require !== undefined) Object.defineProperty(Module.prototype, 'require', unpatched.require);
  if (unpatched.getBuiltinModule !== undefined)
    Object.defineProperty(process, 'getBuiltinModule', unpatched.getBuiltinModule);
}

/**
 * The batch processor with the OTEL_BSP_* settings (values ≤ 0 or not numbers: the default). Its queue is bounded:
 * at most `maxQueueSize` (2,048) finished spans wait, later ones are dropped, and one batch of at most
 * `maxExportBatchSize` (512) is in flight at a time — a slow or dead collector costs at most that much memory.
 */
function batchSpanProcessorFromEnv(): SpanProcessor {
  return new BatchSpanProcessor({
    exporter: new OTLPTraceExporter(),
    maxQueueSize: positiveNumberFromEnv('OTEL_BSP_MAX_QUEUE_SIZE'),
    scheduledDelayMillis: positiveNumberFromEnv('OTEL_BSP_SCHEDULE_DELAY'),
    exportTimeoutMillis: positiveNumberFromEnv('OTEL_BSP_EXPORT_TIMEOUT'),
    maxExportBatchSize: positiveNumberFromEnv('OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
  });
}

function positiveNumberFromEnv(name: string): number | undefined {
  const value = getNumberFromEnv(name);
  return value !== undefined && value > 0 ? value : undefined;
}

/**
 * `service.name` orderly, with the detected attributes merged over it as NodeSDK did: service.instance.id, process,
 * host, os, and OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES (the env detector, last, wins). OTEL_NODE_RESOURCE_DETECTORS
 * picks among `serviceinstance`, `process`, `host`, `os`, `env` (`all`, `none`).
 */
function resourceFromEnv() {
  const known: Record<string, ResourceDetector> = {
    serviceinstance: serviceInstanceIdDetector,
    process: processDetector,
    host: hostDetector,
    os: osDetector,
    env: envDetector,
  };
  const names = getStringListFromEnv('OTEL_NODE_RESOURCE_DETECTORS') ?? ['all'];
  const detectors = names.includes('none')
    ? []
    : names.includes('all')
      ? Object.values(known)
      : names.flatMap((name) => {
          const detector = known[name];
          if (detector === undefined) diag.warn(`Unknown resource detector "${name}" in OTEL_NODE_RESOURCE_DETECTORS`);
          return detector === undefined ? [] : [detector];
        });
  return defaultResource()
    .merge(resourceFromAttributes({ 'service.name': DEFAULT_SERVICE_NAME }))
    .merge(detectResources({ detectors }));
}

/** W3C trace context and baggage, or what OTEL_PROPAGATORS names among `tracecontext`, `baggage`, `none`. */
function propagatorFromEnv(): TextMapPropagator | undefined {
  const names = getStringListFromEnv('OTEL_PROPAGATORS') ?? ['tracecontext', 'baggage'];
  if (names.includes('none')) return undefined;
  const propagators = [...new Set(names)].flatMap((name): TextMapPropagator[] => {
    if (name === 'tracecontext') return [new W3CTraceContextPropagator()];
    if (name === 'baggage') return [new W3CBaggagePropagator()];
    diag.warn(`Unsupported propagator "${name}" in OTEL_PROPAGATORS (tracecontext, baggage, none)`);
    return [];
  });
  return propagators.length === 0 ? undefined : new CompositePropagator({ propagators });
}

/** The SDK's standard OTEL_TRACES_SAMPLER values that samplerFromEnv leaves to it (parent-based always-on otherwise). */
function standardSamplerFromEnv(): Sampler | undefined {
  const ratio = () => {
    const value = getNumberFromEnv('OTEL_TRACES_SAMPLER_ARG');
    return value === undefined || value < 0 || value > 1 ? 1 : value;
  };
  switch (getStringFromEnv('OTEL_TRACES_SAMPLER')?.trim().toLowerCase()) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio());
    default:
      return undefined;
  }
}

function spanLimitsFromEnv(): SpanLimits {
  return {
    attributeCountLimit:
      getNumberFromEnv('OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT') ?? getNumberFromEnv('OTEL_ATTRIBUTE_COUNT_LIMIT'),
    attributeValueLengthLimit:
      getNumberFromEnv('OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT') ??
      getNumberFromEnv('OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'),
    eventCountLimit: getNumberFromEnv('OTEL_SPAN_EVENT_COUNT_LIMIT'),
    linkCountLimit: getNumberFromEnv('OTEL_SPAN_LINK_COUNT_LIMIT'),
    attributePerEventCountLimit: getNumberFromEnv('OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT'),
    attributePerLinkCountLimit: getNumberFromEnv('OTEL_LINK_ATTRIBUTE_COUNT_LIMIT'),
  };
}
