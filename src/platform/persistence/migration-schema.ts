import { Table, type QueryRunner, type TableColumnOptions, type TableOptions } from 'typeorm';

/**
 * The character set every table gets on MySQL/MariaDB: all of Unicode (emoji included), whatever the database's
 * default is (MariaDB installs default to latin1, where a 4-byte character fails the insert or turns into `?`).
 * `utf8mb4_unicode_ci` exists on MariaDB 10.6+ and MySQL 8 alike (MySQL 8's `utf8mb4_0900_*` do not exist on
 * MariaDB), is the collation the connection uses (data-source-options.ts) and the test databases are created
 * with. SQLite stores text as UTF-8 whatever happens, so it needs nothing.
 */
export const MYSQL_CHARSET = 'utf8mb4';
export const MYSQL_COLLATION = 'utf8mb4_unicode_ci';

/** Column types that carry a character set on MySQL/MariaDB. */
const TEXT_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set']);

export function isMysql(queryRunner: QueryRunner): boolean {
  const type = queryRunner.connection.options.type;
  return type === 'mysql' || type === 'mariadb';
}

function withCharset(column: TableColumnOptions): TableColumnOptions {
  if (column.charset !== undefined || column.collation !== undefined) return column;
  if (!TEXT_TYPES.has(column.type.toLowerCase())) return column;
  return { ...column, charset: MYSQL_CHARSET, collation: MYSQL_COLLATION };
}

/**
 * How every migration creates a table (ARCHITECTURE: migrations convention): the portable Table API, plus, on
 * MySQL/MariaDB, utf8mb4 for every text column that does not choose its own character set and as the table's
 * default, so columns added later with `queryRunner.addColumn` are utf8mb4 too. The schema never depends on how
 * the database was created. test/integration/migrations-charset.spec.ts checks every table on a latin1 database.
 */
export async function createTable(queryRunner: QueryRunner, options: TableOptions): Promise<void> {
  if (!isMysql(queryRunner)) {
    await queryRunner.createTable(new Table(options));
    return;
  }
  await queryRunner.createTable(new Table({ ...options, columns: options.columns?.map(withCharset) }));
  const table = queryRunner.connection.driver.escape(options.name);
  await queryRunner.query(`ALTER TABLE ${table} DEFAULT CHARACTER SET ${MYSQL_CHARSET} COLLATE ${MYSQL_COLLATION}`);
}
