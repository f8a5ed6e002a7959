import { resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { migrations } from '../../../migrations/index.js';
import type { DatabaseConfig } from '../../config/app-config.js';
import { AtomicFileWriter } from './atomic-file-writer.js';

type EntityList = NonNullable<DataSourceOptions['entities']>;

/**
 * The one place that turns configuration into TypeORM options, for both profiles (SPEC §2). Used by the Nest
 * module, the migration CLI and the tests, so they can never disagree about the database.
 * `synchronize` is never on: migrations own the schema.
 */
export function buildDataSourceOptions(database: DatabaseConfig, entities: EntityList = []): DataSourceOptions {
  if (database.url !== undefined) return mysqlOptions(database, entities);
  return sqljsOptions(database, entities);
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
    // mysql2 aborts a query that runs longer than this; TypeORM also logs it as slow.
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
