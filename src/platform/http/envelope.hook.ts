import type { FastifyInstance } from 'fastify';
import { traceIdOfRequest } from '../logging/trace-context.js';

export const API_PREFIX = '/api/';

/**
 * Wraps every successful /api answer as `{code: 0, message: 'OK', data, traceId}` (SPEC §4). A Fastify
 * `preSerialization` hook rather than a Nest interceptor: it costs no rxjs pipeline per request, which is a
 * measurable share of the hot path (TOOLCHAIN.md). `traceId` is the request id, or the OpenTelemetry trace id when
 * tracing is on (the request id then stays in X-Request-Id). Error answers (≥ 400) are built by ApiExceptionFilter already
 * enveloped; health, metrics and docs are not under /api and stay bare.
 */
export function installEnvelope(fastify: FastifyInstance): void {
  fastify.addHook('preSerialization', (request, reply, payload, done) => {
    if (reply.statusCode >= 400 || !request.url.startsWith(API_PREFIX)) {
      done(null, payload);
      return;
    }
    done(null, { code: 0, message: 'OK', data: payload ?? null, traceId: traceIdOfRequest(request) });
  });
}

/** Every response names its request, so a client can quote it and an operator can find it in the logs. */
export function installRequestIdHeader(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
}
