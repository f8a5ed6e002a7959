/**
 * What a context declares about its error codes: catalog code → what it means, in the client's words. Plain data,
 * so a context can keep it in its domain folder beside the errors that carry the codes (no framework import).
 */
export type ErrorCodeDeclarations = Readonly<Record<number, string>>;

export interface CatalogEntry {
  readonly code: number;
  /** HTTP status: the code's first three digits (SPEC §4, code = status × 100 + n). */
  readonly status: number;
  readonly meaning: string;
  /** Who registered it: `platform` or a bounded context's name. */
  readonly owner: string;
}

/** The codes every route shares (SPEC §4). They stay here; contexts register their own (422xx and others). */
export const PLATFORM_ERROR_CODES: ErrorCodeDeclarations = {
  40000: 'Validation failed; `errors` lists every invalid field (unknown properties and query parameters too)',
  40001: 'Malformed request: bad JSON, a non-JSON content type, or a URL that does not decode',
  40100: 'Unauthenticated: missing, invalid or revoked credentials',
  40101: 'Token expired',
  40102: 'Refresh token re-used; its whole family was revoked',
  40300: 'Forbidden: your roles do not allow this',
  40400: 'Not found (also for resources you may not see, and for routes that do not exist)',
  40900: 'Duplicate: a unique value is already taken',
  40901: 'Concurrent update: reload and retry',
  40902: 'Idempotency key re-used with a different request',
  41200: 'Precondition failed: `If-Match` does not name the current version (see the ETag of a fresh read)',
  41300: 'Payload too large (over 1 MiB)',
  42900: 'Rate limited: see Retry-After and RateLimit-* headers',
  50000: 'Internal error; the traceId finds it in the logs',
  50300: 'A dependency is unavailable or the request timed out; see Retry-After',
};

/** Thrown at start when two owners claim one code, or a code is not of the form status × 100 + n. */
export class ErrorCatalogConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ErrorCatalogConflictError';
  }
}

/**
 * The error catalog of one application, assembled at start from what the platform and each bounded context
 * register (ARCHITECTURE §6: a new context declares its codes beside its errors and registers them with its module;
 * nothing in src/platform changes). The exception filter answers only registered codes, and the OpenAPI document
 * (catalog table, per-route responses) is written from it, so the documentation cannot drift from what is answered.
 */
export class ErrorCatalog {
  private readonly byCode = new Map<number, CatalogEntry>();

  constructor() {
    this.register('platform', PLATFORM_ERROR_CODES);
  }

  /** Idempotent for the same owner and meaning (several app instances in one process, e.g. in tests). */
  register(owner: string, declarations: ErrorCodeDeclarations): void {
    for (const [key, meaning] of Object.entries(declarations)) {
      const code = Number(key);
      const status = Math.floor(code / 100);
      if (!Number.isInteger(code) || status < 400 || status > 599) {
        throw new ErrorCatalogConflictError(`${owner}: ${key} is not a catalog code (HTTP status × 100 + n)`);
      }
      const existing = this.byCode.get(code);
      if (existing !== undefined && (existing.owner !== owner || existing.meaning !== meaning)) {
        throw new ErrorCatalogConflictError(`${owner}: code ${code} is already registered by ${existing.owner}`);
      }
      this.byCode.set(code, { code, status, meaning, owner });
    }
  }

  get(code: number): CatalogEntry | undefined {
    return this.byCode.get(code);
  }

  has(code: number): boolean {
    return this.byCode.has(code);
  }

  /** Every entry, ordered by code. */
  entries(): CatalogEntry[] {
    return [...this.byCode.values()].sort((a, b) => a.code - b.code);
  }
}
