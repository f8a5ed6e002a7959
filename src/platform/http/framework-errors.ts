import type { FieldViolation } from '../../shared/domain/domain-error.js';

/** An error answer before it is put in the envelope. */
export interface ErrorAnswer {
  readonly status: number;
  readonly code: number;
  readonly message: string;
  readonly errors?: readonly FieldViolation[];
  readonly headers?: Readonly<Record<string, string | number>>;
}

/**
 * A path parameter longer than this is refused by the router before any route runs (Fastify's `maxParamLength`).
 * Every id Orderly uses is a 36-character UUID; 100 leaves room for readable keys without letting a client make
 * the router copy kilobytes.
 */
export const MAX_PATH_PARAM_LENGTH = 100;

const MALFORMED = { status: 400, code: 40001 } as const;
const RETRY_LATER = { 'retry-after': 1 } as const;

/**
 * Fastify's own failures by their `code`, each mapped onto a catalog code and a status the OpenAPI document lists
 * for every operation (400, 413, 503): no FST_* code, class name or framework message ever reaches a client.
 * Decisions where the catalog has no exact match (SPEC §4a "The edge"):
 * - an over-long path parameter is a 400 40000 (the same answer as a short invalid id), not Fastify's 414;
 * - a URL that does not percent-decode is malformed (400 40001);
 * - the handler deadline is a 503 50300 with Retry-After (SPEC §4 "Timeouts").
 */
const BY_FRAMEWORK_CODE: Readonly<Record<string, ErrorAnswer>> = {
  FST_ERR_BAD_URL: { ...MALFORMED, message: 'The URL does not decode: invalid percent-encoding' },
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 400,
    code: 40000,
    message: 'Validation failed',
    errors: [{ field: 'path', message: `a path parameter is longer than ${MAX_PATH_PARAM_LENGTH} characters` }],
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 41300, message: 'Request body exceeds the 1 MiB limit' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { ...MALFORMED, message: 'Unsupported content type; send application/json' },
  FST_ERR_CTP_INVALID_TYPE: { ...MALFORMED, message: 'Invalid Content-Type header' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { ...MALFORMED, message: 'Content-Length does not match the body' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { ...MALFORMED, message: 'Empty body with a JSON content type' },
  FST_ERR_CTP_INVALID_JSON_BODY: { ...MALFORMED, message: 'Malformed JSON body' },
  FST_ERR_HANDLER_TIMEOUT: {
    status: 503,
    code: 50300,
    message: 'The request took too long; retry later',
    headers: RETRY_LATER,
  },
};

const INTERNAL: ErrorAnswer = {
  status: 500,
  code: 50000,
  message: 'Internal error; quote the traceId when reporting it',
};

/**
 * Any other status the framework (router, body parser, plugins, Node's HTTP parser) may answer, onto the catalog.
 * 405 becomes 404 40400 (Fastify itself answers an unserved method on a known path with 404); 414/431 (request
 * line or headers too long) and 415 are malformed requests; 408 (the request did not arrive in time) too.
 */
export function answerForStatus(status: number): ErrorAnswer {
  switch (status) {
    case 401:
      return { status, code: 40100, message: 'Authentication required' };
    case 403:
      return { status, code: 40300, message: 'You are not allowed to do this' };
    case 404:
    case 405:
      return { status: 404, code: 40400, message: 'No such route' };
    case 413:
      return BY_FRAMEWORK_CODE.FST_ERR_CTP_BODY_TOO_LARGE;
    case 429:
      return { status, code: 42900, message: 'Too many requests; retry later', headers: RETRY_LATER };
    case 503:
      return { status, code: 50300, message: 'Service unavailable; retry later', headers: RETRY_LATER };
    case 408:
      return { ...MALFORMED, message: 'The request did not arrive completely in time' };
    case 414:
    case 431:
      return { ...MALFORMED, message: 'Request line or headers too large' };
    case 415:
      return BY_FRAMEWORK_CODE.FST_ERR_CTP_INVALID_MEDIA_TYPE;
    default:
      return status >= 400 && status < 500 ? { ...MALFORMED, message: 'Malformed request' } : INTERNAL;
  }
}

/** A Fastify error (`FST_*` code), directly or as the `cause` Nest wraps it in; undefined for anything else. */
export function frameworkAnswer(error: unknown): ErrorAnswer | undefined {
  const candidates = [error, (error as { cause?: unknown } | null)?.cause];
  for (const candidate of candidates) {
    const code = (candidate as { code?: unknown } | null | undefined)?.code;
    if (typeof code !== 'string' || !code.startsWith('FST_')) continue;
    const known = BY_FRAMEWORK_CODE[code];
    if (known !== undefined) return known;
    const status = (candidate as { statusCode?: unknown }).statusCode;
    return typeof status === 'number' ? answerForStatus(status) : INTERNAL;
  }
  return undefined;
}
