import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const ACCEPTABLE = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * The request id doubles as the `traceId` of the envelope. A well-formed incoming X-Request-Id (from a gateway)
 * is kept so one id follows the request across services; anything else is replaced with 128 random bits in
 * the W3C trace-id format. Random bytes are drawn in batches: one syscall per 512 requests, not per request.
 */
let pool = Buffer.alloc(0);
let offset = 0;

export function generateRequestId(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  if (typeof incoming === 'string' && ACCEPTABLE.test(incoming)) return incoming;
  if (offset + 16 > pool.length) {
    pool = randomBytes(16 * 512);
    offset = 0;
  }
  const id = pool.toString('hex', offset, offset + 16);
  offset += 16;
  return id;
}
