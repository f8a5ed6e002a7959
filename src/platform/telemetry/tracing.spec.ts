import { createTraceState, ROOT_CONTEXT, SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { traceIdsMixin } from '../logging/trace-context.js';
import { startTelemetry } from './start-telemetry.js';
import {
  activeSpanContext,
  flushTelemetry,
  fromTraceparent,
  inSpan,
  orderlyTracer,
  registerTelemetry,
  toTraceparent,
  traceIdOf,
  tracingEnabled,
} from './tracing.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

describe('W3C trace context strings (outbox rows, broker headers)', () => {
  it('round-trips a span context through traceparent and tracestate', () => {
    const parsed = fromTraceparent(`00-${TRACE}-${SPAN}-01`, 'vendor=a,other=b');
    expect(parsed).toMatchObject({ traceId: TRACE, spanId: SPAN, traceFlags: 1, isRemote: true });
    expect(parsed?.traceState?.serialize()).toBe('vendor=a,other=b');
    expect(toTraceparent(parsed!)).toBe(`00-${TRACE}-${SPAN}-01`);
    expect(toTraceparent({ traceId: TRACE, spanId: SPAN, traceFlags: 0 })).toBe(`00-${TRACE}-${SPAN}-00`);
  });

  it('refuses what is not a valid traceparent (a bare request id, zero ids, other versions)', () => {
    expect(fromTraceparent(TRACE)).toBeUndefined();
    expect(fromTraceparent(null)).toBeUndefined();
    expect(fromTraceparent(`00-${'0'.repeat(32)}-${SPAN}-01`)).toBeUndefined();
    expect(fromTraceparent(`01-${TRACE}-${SPAN}-01`)).toBeUndefined();
  });

  it('names the trace id of a stored context: the middle of a traceparent, else the stored request id', () => {
    expect(traceIdOf(`00-${TRACE}-${SPAN}-01`)).toBe(TRACE);
    expect(traceIdOf('req-1234-abcd')).toBe('req-1234-abcd');
    expect(traceIdOf(null)).toBeUndefined();
  });
});

describe('tracing switched on by the telemetry handle', () => {
  const exporter = new InMemorySpanExporter();
  let stop: () => Promise<void>;
  let handle: ReturnType<typeof startTelemetry>;
  /** Simple processors still wait for the detected resource attributes: flush before reading. */
  const finished = async () => {
    await handle.forceFlush();
    return exporter.getFinishedSpans();
  };

  beforeAll(() => {
    handle = startTelemetry({ spanProcessor: new SimpleSpanProcessor({ exporter }), instrument: false });
    stop = async () => {
      await handle.shutdown();
      registerTelemetry(undefined);
      trace.disable();
      context.disable();
    };
  });
  afterAll(() => stop());
  beforeEach(() => exporter.reset());

  it('is on once the preload registered a handle, and flushes through it', async () => {
    expect(tracingEnabled()).toBe(true);
    await expect(flushTelemetry(100)).resolves.toBeUndefined();
  });

  it('inSpan: nests spans, makes the span active for the work, records failures and rethrows them', async () => {
    const tracer = orderlyTracer();
    let inner: string | undefined;
    await inSpan(tracer, 'outer', {}, () =>
      inSpan(tracer, 'inner', {}, () => {
        inner = activeSpanContext()?.spanId;
        return Promise.resolve();
      }),
    );
    const failure = new Error('boom');
    await expect(inSpan(tracer, 'failing', {}, () => Promise.reject(failure))).rejects.toBe(failure);

    const [innerSpan, outerSpan, failing] = await finished();
    expect(innerSpan.name).toBe('inner');
    expect(innerSpan.spanContext().spanId).toBe(inner);
    expect(innerSpan.parentSpanContext?.spanId).toBe(outerSpan.spanContext().spanId);
    expect(failing.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
    expect(failing.events[0]?.name).toBe('exception');
  });

  it('continues a stored remote context as parent, tracestate included', async () => {
    const stored = fromTraceparent(`00-${TRACE}-${SPAN}-01`, 'vendor=x')!;
    await inSpan(orderlyTracer(), 'event Probe', { parent: trace.setSpanContext(ROOT_CONTEXT, stored) }, () =>
      Promise.resolve(),
    );
    const [span] = await finished();
    expect(span.spanContext().traceId).toBe(TRACE);
    expect(span.parentSpanContext?.spanId).toBe(SPAN);
    expect(span.spanContext().traceState?.serialize()).toBe('vendor=x');
  });

  it('starts no trace with a client call (a query outside any request), but traces it inside one', async () => {
    const tracer = orderlyTracer();
    tracer.startSpan('SELECT', { kind: SpanKind.CLIENT }).end();
    await inSpan(tracer, 'request', {}, () => {
      tracer.startSpan('SELECT inside', { kind: SpanKind.CLIENT }).end();
      return Promise.resolve();
    });
    expect((await finished()).map((span) => span.name)).toEqual(['SELECT inside', 'request']);
  });

  it('log lines get the active span ids, unless the line names its own trace', async () => {
    expect(traceIdsMixin({})).toEqual({});
    await inSpan(orderlyTracer(), 'logging', {}, () => {
      const active = activeSpanContext()!;
      expect(traceIdsMixin({ msg: 'x' })).toEqual({ traceId: active.traceId, spanId: active.spanId });
      expect(traceIdsMixin({ traceId: 'given' })).toEqual({});
      return Promise.resolve();
    });
  });
});

describe('tracing off (no preload, no endpoint)', () => {
  it('has no handle, and flushing is a no-op', async () => {
    expect(tracingEnabled()).toBe(false);
    expect(activeSpanContext()).toBeUndefined();
    await expect(flushTelemetry()).resolves.toBeUndefined();
    expect(createTraceState('a=b').serialize()).toBe('a=b');
  });
});

describe('sampler from OTEL_TRACES_SAMPLER', () => {
  it('keeps the client-root rule by default and with a parent-based ratio; leaves other samplers to the SDK', async () => {
    const { samplerFromEnv, NoClientRootSampler } = await import('./start-telemetry.js');
    expect(samplerFromEnv({})).toBeInstanceOf(NoClientRootSampler);
    const ratio = samplerFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' });
    expect(ratio).toBeInstanceOf(NoClientRootSampler);
    expect(ratio?.toString()).toContain('0.1');
    expect(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'always_off' })).toBeUndefined();
  });
});
