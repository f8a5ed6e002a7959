import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { orderlyTracer, tracingEnabled } from '../telemetry/tracing.js';

/** Probes and Prometheus scrapes come every few seconds; logging or tracing them would bury what matters. */
const UNLOGGED_PREFIX = '/health';
const METRICS_PATH = '/metrics';

function unlogged(url: string): boolean {
  return url.startsWith(UNLOGGED_PREFIX) || url.startsWith(METRICS_PATH);
}

/** Set on traced requests only (decorated when tracing is on): the server span and its ids. */
declare module 'fastify' {
  interface FastifyRequest {
    otelTraceId?: string;
    otelSpanId?: string;
    otelSpan?: Span;
  }
}

/**
 * Per request: a logging context (nestjs-pino's `runInContext`, so any PinoLogger/Nest Logger call made while
 * handling the request is tagged), and one line when the answer has gone out — method, URL, status, time — at info,
 * warn for 4xx, error for 5xx.
 *
 * Tracing off: the context carries the request id as `traceId`, as the envelope does. Tracing on (the telemetry
 * preload runs): these hooks open the request's SERVER span — named after the route template
 * (`GET /api/v1/users/:id`), continuing an incoming W3C `traceparent`, active for everything the request does — and
 * end it when the answer is out. Its trace id becomes the request's `traceId` (envelope, logs), the request id stays
 * as `requestId` (and in X-Request-Id), and each line gets the ids of the span active when it is written (the
 * LoggingModule's mixin). The span is made here rather than by instrumentation-http's incoming side, which cost
 * ~60–100 µs of CPU per request on this hot path even for unsampled requests (docs/PERFORMANCE.md, "Tracing");
 * there are no Fastify spans for Nest 12 anyway. The choice is made once, here: the untraced hooks are exactly
 * what they were before tracing existed.
 */
export function installRequestLogging(fastify: FastifyInstance, logger: PinoLogger): void {
  if (tracingEnabled()) installTracedRequestLogging(fastify, logger);
  else {
    fastify.addHook('onRequest', (request, _reply, done) => {
      logger.runInContext(done, { bindings: { traceId: request.id } });
    });
    fastify.addHook('onResponse', (request, reply, done) => {
      if (!unlogged(request.url)) {
        const status = reply.statusCode;
        // Flat fields: pino-http's serializers own the `req`/`res` keys and expect Node's objects there.
        const line = {
          traceId: request.id,
          method: request.method,
          url: request.url,
          statusCode: status,
          responseTime: Math.round(reply.elapsedTime * 10) / 10,
        };
        writeRequestLine(status, line);
      }
      done();
    });
  }
}

function installTracedRequestLogging(fastify: FastifyInstance, logger: PinoLogger): void {
  const tracer = orderlyTracer();
  fastify.decorateRequest('otelTraceId', undefined);
  fastify.decorateRequest('otelSpanId', undefined);
  fastify.decorateRequest('otelSpan', undefined);
  fastify.addHook('onRequest', (request, _reply, done) => {
    const bindings = { bindings: { requestId: request.id } };
    if (unlogged(request.url)) {
      logger.runInContext(done, bindings);
      return;
    }
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const route = request.routeOptions.url;
    const span = tracer.startSpan(
      route === undefined ? request.method : `${request.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'url.path': request.url,
          ...(route === undefined ? {} : { 'http.route': route }),
          'orderly.request_id': request.id,
        },
      },
      parent,
    );
    const ids = span.spanContext();
    request.otelSpan = span;
    request.otelTraceId = ids.traceId;
    request.otelSpanId = ids.spanId;
    context.with(trace.setSpan(parent, span), () => logger.runInContext(done, bindings));
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const span = request.otelSpan;
    if (span !== undefined) {
      span.setAttribute('http.response.status_code', status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    if (!unlogged(request.url)) {
      const line = {
        traceId: request.otelTraceId ?? request.id,
        spanId: request.otelSpanId,
        requestId: request.id,
        method: request.method,
        url: request.url,
        statusCode: status,
        responseTime: Math.round(reply.elapsedTime * 10) / 10,
      };
      writeRequestLine(status, line);
    }
    done();
  });
  // A client that hangs up before the answer: the span still ends, marked as such.
  fastify.addHook('onRequestAbort', (request, done) => {
    const span = request.otelSpan;
    if (span !== undefined && span.isRecording()) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'request aborted by the client' });
      span.end();
    }
    done();
  });
}

function writeRequestLine(status: number, line: object): void {
  const root = PinoLogger.root;
  if (status >= 500) root.error(line, 'request failed');
  else if (status >= 400) root.warn(line, 'request completed');
  else root.info(line, 'request completed');
}
