import { PoolAcquireTimeoutError } from './persistence-errors.js';

type ConnectionCallback = (error: Error | null, connection?: { release(): void }) => void;

export interface CallbackPool {
  getConnection(callback: ConnectionCallback): void;
}

/**
 * mysql2's pool has no acquire timeout: a request waits for a free connection as long as the queue allows.
 * This wraps `getConnection` so a caller waits at most `timeoutMs`, then gets PoolAcquireTimeoutError (→ 503);
 * a connection that arrives after the caller gave up goes straight back to the pool.
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
      callback(error, connection);
    });
  };
}
