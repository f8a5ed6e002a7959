import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** @fastify/cors' options, as Nest's adapter takes them (the plugin is Nest's dependency, not ours). */
type CorsOptions = NonNullable<Parameters<NestFastifyApplication['enableCors']>[0]>;

/**
 * TRAP: @fastify/cors 11 (behind Nest's `app.enableCors()`) allows only `GET,HEAD,POST` when `methods` is not
 * given, so a browser's preflight for PATCH, PUT or DELETE is refused while curl and the e2e tests without a
 * preflight pass. Keep `methods` explicit and add every method a route starts to serve.
 */
export const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** Request headers the API reads (SPEC §4a "The edge"); a browser may send only what the preflight allows. */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'X-Request-Id'];

/** Response headers a script may read; without this list a browser hides every header but the CORS-safelisted. */
export const CORS_EXPOSED_HEADERS = [
  'ETag',
  // Set on an answer replayed for an Idempotency-Key (platform/idempotency).
  'Idempotent-Replayed',
  'Retry-After',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'X-Request-Id',
];

/**
 * How long a browser may reuse a preflight answer. Chromium caps it at 7200 s, Firefox at 86400 s; 600 s keeps
 * preflights rare while an origin removed from CORS_ORIGINS loses access within ten minutes.
 */
export const CORS_MAX_AGE_SECONDS = 600;

/**
 * The CORS policy of the API: origins in CORS_ORIGINS only, matched exactly (scheme, host and port). An origin
 * outside the list gets nothing — no Access-Control-* header at all, and its preflight is a 404 in the envelope
 * (the `OPTIONS *` route of @fastify/cors falls through to not-found when the origin is refused).
 */
export class CorsPolicy {
  private readonly origins: ReadonlySet<string>;

  constructor(origins: readonly string[]) {
    this.origins = new Set(origins);
  }

  get enabled(): boolean {
    return this.origins.size > 0;
  }

  allows(origin: string | undefined): origin is string {
    return origin !== undefined && this.origins.has(origin);
  }

  /** Options for `app.enableCors()`. The origin callback answers `false` (grant nothing) for unlisted origins. */
  options(): CorsOptions {
    return {
      origin: (origin, callback) => callback(null, this.allows(origin) ? origin : false),
      methods: [...CORS_METHODS],
      allowedHeaders: CORS_ALLOWED_HEADERS,
      exposedHeaders: CORS_EXPOSED_HEADERS,
      maxAge: CORS_MAX_AGE_SECONDS,
      credentials: false,
      // A preflight is answered by the CORS hook itself, before guards, body parsing and rate limiting.
      preflightContinue: false,
      strictPreflight: true,
    };
  }

  /**
   * The response headers of an actual (non-preflight) request, for answers sent where the CORS hook never ran:
   * the router's own failures (a URL that does not decode, an over-long parameter) are answered before any hook.
   */
  responseHeaders(origin: string | undefined): Record<string, string> {
    if (!this.enabled) return {};
    if (!this.allows(origin)) return { vary: 'Origin' };
    return {
      vary: 'Origin',
      'access-control-allow-origin': origin,
      'access-control-expose-headers': CORS_EXPOSED_HEADERS.join(', '),
    };
  }
}
