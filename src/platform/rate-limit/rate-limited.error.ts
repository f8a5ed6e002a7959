/** 429 42900 with the headers of §4a: Retry-After and the IETF RateLimit-Limit / -Remaining / -Reset. */
export class RateLimitedError extends Error {
  readonly code = 42900;

  constructor(
    readonly limit: number,
    readonly retryAfterSeconds: number,
  ) {
    super('Too many requests; retry later');
    this.name = 'RateLimitedError';
  }
}
