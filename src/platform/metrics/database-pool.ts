import type { DataSource } from 'typeorm';

export type PoolState = 'in_use' | 'idle' | 'waiting';
export type PoolConnections = Record<PoolState, number>;

/** The parts of mysql2's pool that hold its connections (internal fields; a Denque each, with a `length`). */
interface Mysql2PoolInternals {
  readonly _allConnections?: { readonly length: number };
  readonly _freeConnections?: { readonly length: number };
  readonly _connectionQueue?: { readonly length: number };
}

/**
 * What the data source's connections are doing right now, or undefined when it cannot tell (not initialized, or
 * a driver version whose pool looks different — better no figure than a wrong one).
 *
 * - MySQL (mysql2's pool, which exposes no counts of its own): open connections minus free ones are in use; callers
 *   queued for a connection are waiting (those that gave up after DB_POOL_ACQUIRE_TIMEOUT stay queued until a
 *   connection frees up and is handed straight back, so they count until then).
 * - sql.js: one connection, shared. It is in use while a transaction is open on it; nothing waits in a pool —
 *   transactions queue in the unit of work instead, and plain reads run synchronously — so `waiting` is 0.
 */
export function poolConnections(dataSource: DataSource): PoolConnections | undefined {
  if (!dataSource.isInitialized) return undefined;
  const driver = dataSource.driver as unknown as {
    pool?: Mysql2PoolInternals;
    queryRunner?: { isTransactionActive: boolean };
  };
  if (dataSource.options.type === 'sqljs') {
    const inUse = driver.queryRunner?.isTransactionActive === true ? 1 : 0;
    return { in_use: inUse, idle: 1 - inUse, waiting: 0 };
  }
  const pool = driver.pool;
  const all = pool?._allConnections?.length;
  const free = pool?._freeConnections?.length;
  const queued = pool?._connectionQueue?.length;
  if (all === undefined || free === undefined || queued === undefined) return undefined;
  return { in_use: all - free, idle: free, waiting: queued };
}
