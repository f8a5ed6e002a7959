import type { EntityManager, QueryResult } from 'typeorm';

/**
 * For the few statements on the order path written as plain SQL (`manager.query`): TypeORM's query builder costs
 * ~50–100 µs of CPU per statement to build (property-name rewriting, escaping, parameter maps) — a fifth of the
 * order path's busy time in a CPU profile, where the database itself needs a fraction of that. The SQL used this
 * way is the subset both MySQL/MariaDB and SQLite understand (`?` placeholders); these helpers bridge the rest.
 */

/** A datetime parameter as the driver needs it, stored exactly as TypeORM stores entity datetimes. */
export function sqlDate(manager: EntityManager, date: Date): Date | string {
  // mysql2 formats a Date itself (the data source runs in UTC, `timezone: 'Z'`); sql.js binds no Date, and TypeORM
  // keeps datetimes there as UTC text 'YYYY-MM-DD HH:MM:SS.SSS'.
  return manager.connection.options.type === 'sqljs' ? date.toISOString().replace('T', ' ').replace('Z', '') : date;
}

/** `INSERT` that skips a row whose key exists, in the dialect's words. */
export function insertIgnoringDuplicates(manager: EntityManager): string {
  return manager.connection.options.type === 'sqljs' ? 'INSERT OR IGNORE' : 'INSERT IGNORE';
}

/**
 * Runs one statement in the manager's transaction (or on a connection of its own outside one) and answers how many
 * rows it changed — the count both drivers report through TypeORM's structured results.
 */
export async function executeSql(manager: EntityManager, sql: string, parameters: readonly unknown[]): Promise<number> {
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const result: QueryResult = await runner.query(sql, [...parameters], true);
    return result.affected ?? 0;
  } finally {
    if (manager.queryRunner === undefined) await runner.release();
  }
}
