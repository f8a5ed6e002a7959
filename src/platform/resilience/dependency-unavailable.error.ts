/** 50300: a dependency (database, Redis) is unavailable or too slow; the client may retry later. */
export class DependencyUnavailableError extends Error {
  readonly code = 50300;

  constructor(
    readonly dependency: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${dependency} unavailable: ${reason}`, options);
    this.name = 'DependencyUnavailableError';
  }
}
