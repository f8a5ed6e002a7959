import { PoolAcquireTimeoutError } from './persistence-errors.js';

/** The parts of a mysql2 pool connection the guards touch. */
export interface PooledConnection {
  release(): void;
  query?: (...args: unknown[]) => unknown;
  stream?: { destroy(error?: Error): void };
}

type ConnectionCallback = (error: Error | null, connection?: PooledConnection) => void;

export interface CallbackPool {
  getConnection(callback: ConnectionCallback): void;
}

/** What mysql2 reports when a query outlives its `timeout` (DB_QUERY_TIMEOUT). */
const QUERY_TIMEOUT_CODE = 'PROTOCOL_SEQUENCE_TIMEOUT';
const guarded = new WeakSet<object>();

/**
 * mysql2's pool has no acquire timeout: a request waits for a free connection as long as the queue allows.
 * This wraps `getConnection` so a caller waits at most `timeoutMs`, then gets PoolAcquireTimeoutError (→ 503);
 * a connection that arrives after the caller gave up goes straight back to the pool.
 *
 * Every connection handed out is also guarded against a hung database (see dropOnQueryTimeout).
 */
export function installPoolAcquireTimeout(pool: CallbackPool, timeoutMs: number): void {
  const acquire = pool.getConnection.bind(pool);
  pool.getConnection = (callback: ConnectionCallback) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      callback(new PoolAcquireTimeoutError(timeoutMs));
    }, timeoutMs);
    acquire((error, connection) => {
      if (settled) {
        connection?.release();
        return;
      }
      settled = true;
      clearTimeout(timer);
      if (connection !== undefined) dropOnQueryTimeout(connection);
      callback(error, connection);
    });
  };
}

/**
 * mysql2's query timeout only fails the caller: the connection keeps waiting for the late answer, and every command
 * queued after it (the transaction's ROLLBACK, then the next request's queries once the connection is back in the
 * pool) waits behind it without a timer of its own — with a database that stopped answering (hung server, dropped
 * packets), forever. So a query timeout drops the connection as a network failure would: the commands queued on it
 * fail at once (fatal, → 503), the pool forgets it and opens a fresh one for the next caller.
 */
export function dropOnQueryTimeout(connection: PooledConnection): void {
  const query = connection.query;
  if (query === undefined || guarded.has(connection)) return;
  guarded.add(connection);
  connection.query = function (this: unknown, ...args: unknown[]) {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (error: { code?: string } | null, ...results: unknown[]) => {
        if (error?.code === QUERY_TIMEOUT_CODE) {
          const dropped = Object.assign(new Error('query timed out: connection dropped'), { code: QUERY_TIMEOUT_CODE });
          connection.stream?.destroy(dropped);
        }
        return (callback as (...values: unknown[]) => unknown)(error, ...results);
      };
    }
    return query.apply(this, args);
  };
}
