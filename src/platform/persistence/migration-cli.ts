import { DataSource } from 'typeorm';
import { loadConfig } from '../../config/load-config.js';
import { buildDataSourceOptions } from './data-source-options.js';

/**
 * `npm run migration:run` / `migration:revert` against the configured database (DATABASE_URL, or the embedded
 * file). Kept free of Nest so it can run as a Kubernetes pre-upgrade Job with nothing else started.
 */
async function main(command: string | undefined): Promise<void> {
  const config = loadConfig();
  const dataSource = new DataSource(buildDataSourceOptions(config.database));
  await dataSource.initialize();
  try {
    if (command === 'run') {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      console.log(
        applied.length === 0 ? 'No pending migrations.' : `Applied: ${applied.map((m) => m.name).join(', ')}`,
      );
    } else if (command === 'revert') {
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log('Reverted the last migration.');
    } else {
      throw new Error(`Unknown command "${command ?? ''}"; use "run" or "revert"`);
    }
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
