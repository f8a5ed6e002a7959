import { SetMetadata } from '@nestjs/common';

export const AUTH_RATE_LIMIT_KEY = 'orderly:authRateLimitKey';

/** Picks, from a request body, what the auth limit counts per (besides the client IP): an email, a token family. */
export type AuthRateLimitKey = (body: Record<string, unknown>) => string | undefined;

/**
 * Puts a route under the tight AUTH_RATE_LIMIT_PER_MINUTE limit, counted per (client IP, key from the body)
 * (§4a). Routes without it are only under the default per-client limit.
 */
export const AuthRateLimit = (key: AuthRateLimitKey): MethodDecorator => SetMetadata(AUTH_RATE_LIMIT_KEY, key);
