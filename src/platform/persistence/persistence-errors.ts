import { QueryFailedError } from 'typeorm';
import { DuplicateError } from '../../shared/domain/domain-error.js';
import { DependencyUnavailableError } from '../resilience/dependency-unavailable.error.js';

/** Raised by the pool guard when no connection frees up within DB_POOL_ACQUIRE_TIMEOUT. */
export class PoolAcquireTimeoutError extends Error {
  readonly code = 'POOL_ACQUIRE_TIMEOUT';

  constructor(timeoutMs: number) {
    super(`No database connection became free within ${timeoutMs} ms`);
    this.name = 'PoolAcquireTimeoutError';
  }
}

interface DriverError {
  code?: string;
  errno?: number;
  message?: string;
  fatal?: boolean;
}

const DEADLOCK = 1213;
const LOCK_WAIT_TIMEOUT = 1205;
const DUPLICATE_ENTRY = 1062;
/** mysql2/network failures meaning "the database is not there right now", as opposed to a bad query. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'POOL_ACQUIRE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_QUERY_TIMEOUT',
  'ER_STATEMENT_TIMEOUT',
]);
/** MariaDB max_statement_time (1969) and MySQL max_execution_time (3024) interruptions. */
const STATEMENT_TIMEOUT_ERRNOS = new Set([1969, 3024]);

function driverErrorOf(error: unknown): DriverError | undefined {
  if (error instanceof QueryFailedError) return error.driverError as DriverError;
  if (typeof error === 'object' && error !== null && ('code' in error || 'errno' in error)) return error as DriverError;
  return undefined;
}

/**
 * Thrown by a repository that lost a race the database could not turn into a deadlock: typically two
 * transactions creating the same lazily-created row (a stock row on its first adjustment), where the loser's
 * insert hits the unique key. The unit of work runs the whole work again, which then finds the winner's row.
 */
export class RetryableConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryableConflictError';
  }
}

/** Deadlocks and lock-wait timeouts: the transaction lost a race and may simply be run again. */
export function isTransientConflict(error: unknown): boolean {
  if (error instanceof RetryableConflictError) return true;
  const driverError = driverErrorOf(error);
  return driverError?.errno === DEADLOCK || driverError?.errno === LOCK_WAIT_TIMEOUT;
}

export function isUniqueViolation(error: unknown): boolean {
  const driverError = driverErrorOf(error);
  if (driverError === undefined) return false;
  if (driverError.errno === DUPLICATE_ENTRY || driverError.code === 'ER_DUP_ENTRY') return true;
  // sql.js reports SQLite constraint failures only through the message text.
  return /UNIQUE constraint failed|PRIMARY KEY constraint failed/i.test(driverError.message ?? '');
}

/** mysql2 rejects with a bare Error (no code) once `queueLimit` callers are waiting for a connection. */
const QUEUE_FULL_MESSAGE = 'Queue limit reached.';

function isUnavailable(error: unknown): boolean {
  if (error instanceof Error && error.message === QUEUE_FULL_MESSAGE) return true;
  const driverError = driverErrorOf(error);
  if (driverError === undefined) return false;
  if (driverError.message === QUEUE_FULL_MESSAGE) return true;
  return (
    UNAVAILABLE_CODES.has(driverError.code ?? '') ||
    STATEMENT_TIMEOUT_ERRNOS.has(driverError.errno ?? 0) ||
    driverError.fatal === true
  );
}

/**
 * Maps what either dialect's driver throws onto the error catalog, in one place: unique-key violations become a
 * domain conflict (409 40900), an unreachable/slow database a 503 (50300). Anything else is returned unchanged
 * and ends as a 500 — it is a bug, not something the client did.
 */
export function translatePersistenceError(error: unknown): unknown {
  if (isUniqueViolation(error)) return new DuplicateError();
  if (isTransientConflict(error)) {
    return new DependencyUnavailableError('database', 'transaction kept conflicting; retry', { cause: error });
  }
  if (isUnavailable(error)) {
    return new DependencyUnavailableError('database', driverErrorOf(error)?.code ?? 'connection failed', {
      cause: error,
    });
  }
  return error;
}
