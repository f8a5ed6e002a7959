import { SetMetadata } from '@nestjs/common';

export const AUTH_RATE_LIMIT_KEY = 'orderly:authRateLimitKey';

/** Picks, from a request body, what the auth limit counts per (besides the client IP): an email, a token family. */
export type AuthRateLimitKey = (body: Record<string, unknown>) => string | undefined;

/**
 * Puts a route under the tight AUTH_RATE_LIMIT_PER_MINUTE limit, counted per (client IP, key from the body)
 * (§4a). Routes without it (or `@UserAttemptLimit`, below) are only under the default per-client limit.
 */
export const AuthRateLimit = (key: AuthRateLimitKey): MethodDecorator => SetMetadata(AUTH_RATE_LIMIT_KEY, key);

export const USER_ATTEMPT_LIMIT_KEY = 'orderly:userAttemptLimit';

/**
 * The per-user attempt limit: 5 attempts per user id in a fixed 15-minute window. Every attempt counts, right or
 * wrong (the limit is checked before the handler runs, as every throttler is): a person changes their password a
 * few times a year, while a thief holding an access token for its 15 minutes gets 5 to 10 guesses instead of the
 * default limit's thousands. Not configurable: nothing in a deployment would want it looser.
 */
export const USER_ATTEMPT_LIMIT = { attempts: 5, windowMs: 15 * 60_000 } as const;

/**
 * Puts an authenticated route that checks a secret (the current password) under USER_ATTEMPT_LIMIT, counted per
 * user id — the access token's subject — whatever the client IP, so changing IPs buys no fresh budget. A request
 * without a valid token is not counted here (the auth guard answers it 401).
 */
export const UserAttemptLimit = (): MethodDecorator => SetMetadata(USER_ATTEMPT_LIMIT_KEY, true);
