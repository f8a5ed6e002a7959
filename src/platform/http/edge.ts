import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CorsPolicy } from './cors.js';
import { API_PREFIX } from './envelope.hook.js';
import { errorEnvelope } from './error-body.js';
import { answerForStatus, frameworkAnswer, type ErrorAnswer } from './framework-errors.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The HTTP edge: every answer a client can provoke before (or around) Nest is the catalog's envelope. Three entry
 * points cover what Nest's exception filter cannot see, and all of them map through framework-errors.ts:
 *
 * 1. `frameworkErrors` — the router's own failures (a URL that does not percent-decode, an over-long path
 *    parameter), answered before any hook runs, so this adds the headers the hooks would have added;
 * 2. `clientErrorHandler` — Node's HTTP parser gave up (request line or headers too large, garbage): there is no
 *    request object, only a socket;
 * 3. an `onSend` guard under /api that re-envelopes any error body that is not already the envelope (e.g. the
 *    400 of @fastify/cors for a preflight without Access-Control-Request-Method, the 503 of a closing server).
 *
 * 4. a closing guard: while the server closes, a request that still arrives on a kept-alive connection is a
 *    503 50300 envelope (Fastify's own `return503OnClosing` writes a bare body before any hook, so it is off).
 *
 * Everything else (body parser, 404s, timeouts, guards, handlers) goes through ApiExceptionFilter, which Nest
 * installs as Fastify's error and not-found handler.
 */
export function createFrameworkErrorHandler(
  securityHeaders: Readonly<Record<string, string>>,
  cors: CorsPolicy,
): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, request, reply) => {
    const answer = frameworkAnswer(error) ?? answerForStatus(500);
    void reply
      .headers({ ...securityHeaders, ...cors.responseHeaders(request.headers.origin), 'x-request-id': request.id })
      .headers(answer.headers ?? {})
      .status(answer.status)
      .type(JSON_TYPE)
      .send(errorEnvelope(answer.code, answer.message, request.id, answer.errors));
  };
}

/** Node's HTTP parser failed (no request was formed): the same envelope, written straight to the socket. */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    const answer = answerForStatus(status);
    const traceId = randomUUID().replaceAll('-', '');
    const body = JSON.stringify(errorEnvelope(answer.code, answer.message, traceId));
    socket.write(
      `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? 'Error'}\r\n` +
        `Content-Type: ${JSON_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${traceId}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** An error body under /api that is not the envelope, re-written as the envelope for its status (entry point 3). */
export function installEnvelopeGuard(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (reply.statusCode < 400 || !request.url.startsWith(API_PREFIX) || isEnvelope(payload)) {
      done(null, payload);
      return;
    }
    const answer: ErrorAnswer = answerForStatus(reply.statusCode);
    // Hooks that answer early (the CORS preflight check, the closing-server 503) run before the request-id hook.
    void reply
      .headers({ ...answer.headers, 'x-request-id': request.id })
      .removeHeader('content-length')
      .status(answer.status)
      .type(JSON_TYPE);
    done(null, JSON.stringify(errorEnvelope(answer.code, answer.message, request.id, answer.errors)));
  });
}

/** errorEnvelope() puts `code` first, so every body the filter wrote starts with it once serialized. */
function isEnvelope(payload: unknown): boolean {
  return typeof payload === 'string' && payload.startsWith('{"code":');
}

/** Entry point 4: requests that arrive once the server has started closing (createFastifyAdapter turns off Fastify's). */
export function installClosingGuard(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    // Health probes answer for themselves (readiness is already 503 then); only the API is enveloped.
    if (!closing || !request.url.startsWith(API_PREFIX)) {
      done();
      return;
    }
    const answer = answerForStatus(503);
    void reply
      .headers({ ...answer.headers, connection: 'close', 'x-request-id': request.id })
      .status(answer.status)
      .type(JSON_TYPE)
      .send(errorEnvelope(answer.code, 'The service is shutting down; retry on another instance', request.id));
  });
}
