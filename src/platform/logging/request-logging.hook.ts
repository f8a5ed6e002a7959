import { trace } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { tracingEnabled } from '../telemetry/tracing.js';

/** Probes hit every few seconds; logging them would bury the requests that matter. */
const UNLOGGED_PREFIX = '/health';

/** Set on traced requests only (decorated when tracing is on): the server span's ids. */
declare module 'fastify' {
  interface FastifyRequest {
    otelTraceId?: string;
    otelSpanId?: string;
  }
}

/**
 * Per request: a logging context (nestjs-pino's `runInContext`, so any PinoLogger/Nest Logger call made while
 * handling the request is tagged), and one line when the answer has gone out — method, URL, status, time — at info,
 * warn for 4xx, error for 5xx.
 *
 * Tracing off: the context carries the request id as `traceId`, as the envelope does. Tracing on (the telemetry
 * preload runs): the HTTP instrumentation's server span is active in the hooks; its trace id becomes the request's
 * `traceId` (envelope, logs), the request id stays as `requestId` (and in X-Request-Id), each line gets the ids of
 * the span active when it is written (LoggingModule's mixin), and the span is renamed after the route template
 * (`GET /api/v1/users/:id`): there are no Fastify spans for Nest 12. The choice is made once, here: the untraced
 * hooks are exactly what they were before tracing existed.
 */
export function installRequestLogging(fastify: FastifyInstance, logger: PinoLogger): void {
  if (tracingEnabled()) installTracedRequestLogging(fastify, logger);
  else {
    fastify.addHook('onRequest', (request, _reply, done) => {
      logger.runInContext(done, { bindings: { traceId: request.id } });
    });
    fastify.addHook('onResponse', (request, reply, done) => {
      if (!request.url.startsWith(UNLOGGED_PREFIX)) {
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
  fastify.decorateRequest('otelTraceId', undefined);
  fastify.decorateRequest('otelSpanId', undefined);
  fastify.addHook('onRequest', (request, _reply, done) => {
    const span = trace.getActiveSpan();
    if (span !== undefined) {
      const ids = span.spanContext();
      request.otelTraceId = ids.traceId;
      request.otelSpanId = ids.spanId;
      const route = request.routeOptions.url;
      if (route !== undefined) {
        span.updateName(`${request.method} ${route}`);
        span.setAttribute('http.route', route);
      }
      span.setAttribute('orderly.request_id', request.id);
    }
    logger.runInContext(done, { bindings: { requestId: request.id } });
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    if (!request.url.startsWith(UNLOGGED_PREFIX)) {
      const status = reply.statusCode;
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
}

function writeRequestLine(status: number, line: object): void {
  const root = PinoLogger.root;
  if (status >= 500) root.error(line, 'request failed');
  else if (status >= 400) root.warn(line, 'request completed');
  else root.info(line, 'request completed');
}
