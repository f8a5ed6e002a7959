import type { FastifyInstance } from 'fastify';
import { PinoLogger } from 'nestjs-pino';

/** Probes hit every few seconds; logging them would bury the requests that matter. */
const UNLOGGED_PREFIX = '/health';

/**
 * Per request: a logging context carrying the request id as `traceId` (nestjs-pino's `runInContext`, so any
 * PinoLogger/Nest Logger call made while handling the request is tagged with it), and one line when the answer
 * has gone out — method, URL, status, time — at info, warn for 4xx, error for 5xx.
 */
export function installRequestLogging(fastify: FastifyInstance, logger: PinoLogger): void {
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
      const root = PinoLogger.root;
      if (status >= 500) root.error(line, 'request failed');
      else if (status >= 400) root.warn(line, 'request completed');
      else root.info(line, 'request completed');
    }
    done();
  });
}
