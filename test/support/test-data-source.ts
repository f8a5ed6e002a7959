import { createConnection } from 'mysql2/promise';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../../src/config/app-config.js';
import { ProductOrmEntity } from '../../src/modules/catalog/infrastructure/persistence/product.orm-entity.js';
import { RefreshTokenOrmEntity } from '../../src/modules/identity/infrastructure/persistence/refresh-token.orm-entity.js';
import { UserOrmEntity } from '../../src/modules/identity/infrastructure/persistence/user.orm-entity.js';
import { IdempotencyRecordOrmEntity } from '../../src/platform/idempotency/idempotency-record.orm-entity.js';
import { buildDataSourceOptions } from '../../src/platform/persistence/data-source-options.js';
import { DeadLetterOrmEntity } from '../../src/platform/persistence/outbox/dead-letter.orm-entity.js';
import { InboxOrmEntity } from '../../src/platform/persistence/outbox/inbox.orm-entity.js';
import { OutboxEventOrmEntity } from '../../src/platform/persistence/outbox/outbox-event.orm-entity.js';
import { testProfile } from './test-profile.js';

/** Every ORM entity the integration tests persist; a context that adds entities adds them here. */
export const TEST_ENTITIES = [
  UserOrmEntity,
  RefreshTokenOrmEntity,
  OutboxEventOrmEntity,
  InboxOrmEntity,
  DeadLetterOrmEntity,
  ProductOrmEntity,
  IdempotencyRecordOrmEntity,
];

/**
 * The test profile's database (SPEC §2): an in-memory sql.js database for `embedded`, the shared test database
 * (`TEST_DATABASE_URL`) for `server`. Options come from the app's own `buildDataSourceOptions`, so tests and the
 * service can never disagree about the database; migrations run before it is returned.
 *
 * In the server profile every data source points at the same database: tests must create their own rows with
 * unique values. `overrides` may switch profile-specific settings (pool size, timeouts) or, with
 * `{ url: undefined, embeddedFile }`, force an embedded database on a file.
 */
/** The test profile's database settings, as DatabaseConfig (for tests that build a data source of their own). */
export function testDatabaseConfig(overrides: Partial<DatabaseConfig> = {}): DatabaseConfig {
  const profile = testProfile();
  return {
    url: profile.kind === 'server' ? profile.databaseUrl : undefined,
    embeddedFile: ':memory:',
    poolSize: 10,
    queryTimeoutMs: 5_000,
    poolAcquireTimeoutMs: 2_000,
    slowQueryMs: 200,
    migrationsRun: true,
    ...overrides,
  };
}

export async function createTestDataSource(
  overrides: Partial<DatabaseConfig> = {},
  extraEntities: NonNullable<DataSourceOptions['entities']> = [],
): Promise<DataSource> {
  const config = testDatabaseConfig(overrides);
  const dataSource = new DataSource(buildDataSourceOptions(config, [...TEST_ENTITIES, ...(extraEntities as [])]));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/**
 * Server profile: a fresh database of the test's own beside the shared one (`<test database>_<suffix>`), for tests
 * that revert migrations or need another default character set. Returns its URL and name.
 */
export async function createScratchDatabase(
  databaseUrl: string,
  suffix: string,
  charset = 'utf8mb4 COLLATE utf8mb4_unicode_ci',
): Promise<{ url: string; name: string }> {
  const url = new URL(databaseUrl);
  const name = `${url.pathname.slice(1)}_${suffix}`;
  const admin = await createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password) || undefined,
  });
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET ${charset}`);
  } finally {
    await admin.end();
  }
  url.pathname = `/${name}`;
  return { url: url.toString(), name };
}
