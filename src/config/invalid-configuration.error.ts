/** Thrown at start when the environment is invalid; main.ts prints it and exits with status 1. */
export class InvalidConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`,
    );
    this.name = 'InvalidConfigurationError';
  }
}
