import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * What an incoming X-Request-Id must look like to be adopted: 8–64 letters, digits and hyphens. That covers the
 * ids gateways and clients generate (UUIDs, 32-hex W3C trace ids, ULIDs) and nothing that could break a log line,
 * a header or a query in the log store (no spaces, quotes, separators, control characters), nor bloat every log
 * line of the request.
 */
export const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9-]{8,64}$/;

/**
 * The request id doubles as the `traceId` of the envelope. A well-formed incoming X-Request-Id is kept, from any
 * client (not only from TRUST_PROXY's proxies), so one id follows the request across services and a browser can
 * correlate its own calls; it is an opaque correlation token that grants nothing, and the shape above keeps it
 * harmless. Anything else is replaced with 128 random bits in the W3C trace-id format. Random bytes are drawn in
 * batches: one syscall per 512 requests, not per request.
 */
let pool = Buffer.alloc(0);
let offset = 0;

export function generateRequestId(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  if (typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming)) return incoming;
  if (offset + 16 > pool.length) {
    pool = randomBytes(16 * 512);
    offset = 0;
  }
  const id = pool.toString('hex', offset, offset + 16);
  offset += 16;
  return id;
}
