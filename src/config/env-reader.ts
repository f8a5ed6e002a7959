import ms from 'ms';

/**
 * Reads raw environment strings into typed values and collects every problem instead of stopping at the first,
 * so a misconfigured deployment is fixed in one round (the start-up error names every bad variable).
 */
export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  optionalString(name: string): string | undefined {
    return this.raw(name);
  }

  /** Secrets are taken byte for byte (trimming would silently change a key); a blank one counts as unset. */
  secret(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value;
  }

  int(name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      this.problems.push(`${name}: expected an integer between ${min} and ${max}, got "${value}"`);
      return fallback;
    }
    return parsed;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(value)) return true;
    if (['false', '0', 'no', 'off'].includes(value)) return false;
    this.problems.push(`${name}: expected true or false, got "${value}"`);
    return fallback;
  }

  /** `ms`-style durations (`15m`, `30d`, `500ms`); a bare number means milliseconds. */
  duration(name: string, fallback: string, minMs = 1): number {
    const value = this.raw(name) ?? fallback;
    const parsed = /^\d+$/.test(value) ? Number(value) : ms(value as ms.StringValue);
    if (typeof parsed !== 'number' || !Number.isSafeInteger(parsed) || parsed < minMs) {
      this.problems.push(
        `${name}: expected a duration such as 500ms, 10s, 15m or 30d (at least ${minMs}ms), got "${value}"`,
      );
      return ms(fallback as ms.StringValue);
    }
    return parsed;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name}: expected one of ${allowed.join(', ')}, got "${value}"`);
    return fallback;
  }

  url(name: string, protocols: readonly string[]): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) {
        this.problems.push(`${name}: expected a ${protocols.join(' or ')} URL, got protocol "${parsed.protocol}"`);
      }
      return value;
    } catch {
      this.problems.push(`${name}: not a valid URL`);
      return undefined;
    }
  }

  list(name: string): string[] {
    const value = this.raw(name);
    return value === undefined
      ? []
      : value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean);
  }

  problem(message: string): void {
    this.problems.push(message);
  }
}
