import { DataSource, TableColumn } from 'typeorm';
import type { DatabaseConfig } from '../../src/config/app-config.js';
import { buildDataSourceOptions } from '../../src/platform/persistence/data-source-options.js';
import { MYSQL_CHARSET, MYSQL_COLLATION } from '../../src/platform/persistence/migration-schema.js';
import { createScratchDatabase, testDatabaseConfig } from '../support/test-data-source.js';
import { describeProfile, testProfile } from '../support/test-profile.js';

/** TypeORM creates its own bookkeeping table with the database default; it holds ASCII class names only. */
const MIGRATIONS_TABLE = 'schema_migrations';
const FOX = 'Renard 🦊 Ça va';

function scratchConfig(url: string | undefined): DatabaseConfig {
  return testDatabaseConfig({ url, poolSize: 2, migrationsRun: false });
}

async function insertUser(dataSource: DataSource, id: string, displayName: string): Promise<void> {
  // A string both drivers bind (sql.js refuses Date objects).
  const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
  await dataSource.query(
    'INSERT INTO identity_users (id, email, password_hash, display_name, roles, status, version, created_at, updated_at) ' +
      'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [id, `${id}@charset.example`, 'hash', displayName, 'customer', 'active', 1, now, now],
  );
}

async function displayName(dataSource: DataSource, id: string): Promise<unknown> {
  const rows: { display_name: unknown }[] = await dataSource.query(
    'SELECT display_name FROM identity_users WHERE id = ?',
    [id],
  );
  return rows[0]?.display_name;
}

/**
 * Migrations create their tables as utf8mb4 themselves (migration-schema.ts), so the schema does not depend on how
 * the database was created: MariaDB's default here is latin1, where a 4-byte character fails the insert.
 */
describe(describeProfile('migrations create utf8mb4 tables'), () => {
  const profile = testProfile();

  describe.skipIf(profile.kind !== 'server')('on MySQL/MariaDB', () => {
    let dataSource: DataSource;
    let schema: string;

    beforeAll(async () => {
      if (profile.kind !== 'server') return;
      const scratch = await createScratchDatabase(profile.databaseUrl, 'latin1', 'latin1 COLLATE latin1_swedish_ci');
      schema = scratch.name;
      dataSource = new DataSource(buildDataSourceOptions(scratchConfig(scratch.url)));
      await dataSource.initialize();
      await dataSource.runMigrations({ transaction: 'each' });
    });

    afterAll(async () => {
      if (dataSource?.isInitialized) {
        await dataSource.query(`DROP DATABASE IF EXISTS \`${schema}\``);
        await dataSource.destroy();
      }
    });

    it('runs in a database whose default character set is latin1', async () => {
      const rows: { charset: string }[] = await dataSource.query(
        'SELECT DEFAULT_CHARACTER_SET_NAME AS charset FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
        [schema],
      );
      expect(rows).toEqual([{ charset: 'latin1' }]);
    });

    it('gives every table and every text column utf8mb4', async () => {
      const tables: { name: string; collation: string }[] = await dataSource.query(
        'SELECT TABLE_NAME AS name, TABLE_COLLATION AS collation FROM information_schema.TABLES ' +
          'WHERE TABLE_SCHEMA = ? AND TABLE_NAME <> ? ORDER BY TABLE_NAME',
        [schema, MIGRATIONS_TABLE],
      );
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['identity_refresh_tokens', 'identity_users']));
      expect(tables.filter((t) => t.collation !== MYSQL_COLLATION)).toEqual([]);

      const columns: { name: string; charset: string; collation: string }[] = await dataSource.query(
        "SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME) AS name, CHARACTER_SET_NAME AS charset, " +
          'COLLATION_NAME AS collation FROM information_schema.COLUMNS ' +
          'WHERE TABLE_SCHEMA = ? AND TABLE_NAME <> ? AND CHARACTER_SET_NAME IS NOT NULL',
        [schema, MIGRATIONS_TABLE],
      );
      expect(columns.map((c) => c.name)).toContain('identity_users.display_name');
      expect(columns.filter((c) => c.charset !== MYSQL_CHARSET || c.collation !== MYSQL_COLLATION)).toEqual([]);
    });

    it('stores and returns characters outside latin1 and the BMP', async () => {
      await insertUser(dataSource, 'charset-fox', FOX);
      expect(await displayName(dataSource, 'charset-fox')).toBe(FOX);
    });

    it('makes utf8mb4 the table default, so a column added later by a migration is utf8mb4 too', async () => {
      const runner = dataSource.createQueryRunner();
      try {
        await runner.addColumn('identity_users', new TableColumn({ name: 'probe', type: 'varchar', length: '8' }));
        const rows: { charset: string }[] = await runner.query(
          'SELECT CHARACTER_SET_NAME AS charset FROM information_schema.COLUMNS ' +
            "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'identity_users' AND COLUMN_NAME = 'probe'",
          [schema],
        );
        expect(rows).toEqual([{ charset: MYSQL_CHARSET }]);
      } finally {
        await runner.release();
      }
    });
  });

  describe.skipIf(profile.kind !== 'embedded')('on SQLite', () => {
    let dataSource: DataSource;

    beforeAll(async () => {
      dataSource = new DataSource(buildDataSourceOptions(scratchConfig(undefined)));
      await dataSource.initialize();
      await dataSource.runMigrations({ transaction: 'each' });
    });

    afterAll(async () => {
      await dataSource?.destroy();
    });

    it('keeps text as UTF-8 (the same migrations run unchanged)', async () => {
      expect(await dataSource.query('PRAGMA encoding')).toEqual([{ encoding: 'UTF-8' }]);
      await insertUser(dataSource, 'charset-fox', FOX);
      expect(await displayName(dataSource, 'charset-fox')).toBe(FOX);
    });
  });
});
