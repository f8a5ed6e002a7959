import { DataSource } from 'typeorm';
import { migrations } from '../../migrations/index.js';
import { buildDataSourceOptions } from '../../src/platform/persistence/data-source-options.js';
import { createScratchDatabase, testDatabaseConfig } from '../support/test-data-source.js';
import { describeProfile, testProfile } from '../support/test-profile.js';

/**
 * Every migration must run forward, run backward (its `down`), and run forward again, on both dialects —
 * in a database of its own, since reverting drops the tables other tests use.
 */
describe(describeProfile('migrations'), () => {
  let dataSource: DataSource;
  let scratchUrl: string | undefined;

  beforeAll(async () => {
    const profile = testProfile();
    if (profile.kind === 'server') {
      scratchUrl = (await createScratchDatabase(profile.databaseUrl, 'migrations')).url;
    }
    const config = testDatabaseConfig({ url: scratchUrl, poolSize: 2, migrationsRun: false });
    dataSource = new DataSource(buildDataSourceOptions(config));
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  async function tables(): Promise<string[]> {
    const runner = dataSource.createQueryRunner();
    try {
      const names = ['identity_refresh_tokens', 'identity_users'];
      const present = await Promise.all(names.map((name) => runner.hasTable(name)));
      return names.filter((_name, index) => present[index]);
    } finally {
      await runner.release();
    }
  }

  it('apply, revert one by one, and apply again', async () => {
    expect(await dataSource.showMigrations()).toBe(true);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied).toHaveLength(migrations.length);
    expect(await dataSource.showMigrations()).toBe(false);
    expect(await tables()).toEqual(['identity_refresh_tokens', 'identity_users']);

    for (let index = 0; index < migrations.length; index++) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toEqual([]);
    expect(await dataSource.showMigrations()).toBe(true);

    expect(await dataSource.runMigrations({ transaction: 'each' })).toHaveLength(migrations.length);
    expect(await tables()).toEqual(['identity_refresh_tokens', 'identity_users']);
  });
});
