import { resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../../migrations/index.js';
import type { DatabaseConfig } from '../../config/app-config.js';
import { AtomicFileWriter } from './atomic-file-writer.js';
import { SlowQueryMonitor, slowQuerySubscriber } from './slow-query-monitor.js';

type EntityList = NonNullable<DataSourceOptions['entities']>;

/**
 * The one place that turns configuration into TypeORM options, for both profiles (SPEC §2). Used by the Nest
 * module, the migration CLI and the tests, so they can never disagree about the database.
 * `synchronize` is never on: migrations own the schema.
 *
 * Queries slower than DB_SLOW_QUERY_MS are counted and logged by `slowQueries` (reach it later with
 * `SlowQueryMonitor.of(dataSource)`); by default a new monitor that logs at warn.
 */
export function buildDataSourceOptions(
  database: DatabaseConfig,
  entities: EntityList = [],
  slowQueries: SlowQueryMonitor = new SlowQueryMonitor(database.slowQueryMs),
): DataSourceOptions {
  const subscribers = [slowQuerySubscriber(slowQueries)];
  if (database.url !== undefined) return { ...mysqlOptions(database, entities), subscribers };
  return { ...sqljsOptions(database, entities), subscribers };
}

function mysqlOptions(database: DatabaseConfig, entities: EntityList): DataSourceOptions {
  const url = new URL(database.url ?? '');
  return {
    type: 'mysql',
    host: url.hostname,
    port: url.port === '' ? 3306 : Number(url.port),
    username: decodeURIComponent(url.username),
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')),
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    poolSize: database.poolSize,
    connectTimeout: database.poolAcquireTimeoutMs,
    // mysql2 aborts a query that runs longer than this (TypeORM's name for the option; its own slow-query log
    // is off: DB_SLOW_QUERY_MS is handled by slow-query-monitor.ts).
    maxQueryExecutionTime: database.queryTimeoutMs,
    enableQueryTimeout: true,
    extra: {
      // Bounded queue: beyond pool size + queue, getConnection fails at once instead of piling up work.
      queueLimit: database.poolSize * 50,
      waitForConnections: true,
      enableKeepAlive: true,
      supportBigNumbers: true,
      bigNumberStrings: false,
    },
    entities,
    migrations,
    migrationsRun: false,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    logging: false,
  };
}

function sqljsOptions(database: DatabaseConfig, entities: EntityList): DataSourceOptions {
  const inMemory = database.embeddedFile === ':memory:';
  const file = resolve(database.embeddedFile);
  const writer = inMemory ? undefined : new AtomicFileWriter(file);
  return {
    type: 'sqljs',
    location: inMemory ? undefined : file,
    autoSave: !inMemory,
    // sql.js' own save is a plain writeFile (a kill mid-write truncates the database); write atomically instead.
    autoSaveCallback: writer === undefined ? undefined : (bytes: Uint8Array) => writer.write(bytes),
    entities,
    migrations,
    migrationsRun: false,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    logging: false,
  };
}
