// Child process of test/integration/atomic-file-writer.spec.ts (the crash test). It opens the embedded database
// file exactly as the app does — the compiled `buildDataSourceOptions`, so writes go through AtomicFileWriter —
// then commits one insert after another and prints each id on stdout only once its commit (and the file write
// it triggers) has finished. The parent SIGKILLs it at a random moment and checks every printed id survived.
//
//   node embedded-writer-child.mjs <compiled root (holds src/ and migrations/)> <database file>

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { DataSource } from 'typeorm';

const [compiledRoot, file] = process.argv.slice(2);
if (!compiledRoot || !file) {
  console.error('usage: embedded-writer-child.mjs <compiled root> <database file>');
  process.exit(2);
}

const { buildDataSourceOptions } = await import(
  pathToFileURL(join(compiledRoot, 'src/platform/persistence/data-source-options.js')).href
);

const dataSource = new DataSource(
  buildDataSourceOptions({
    url: undefined,
    embeddedFile: file,
    poolSize: 1,
    queryTimeoutMs: 5_000,
    poolAcquireTimeoutMs: 2_000,
    slowQueryMs: 200,
    migrationsRun: true,
  }),
);
await dataSource.initialize();
await dataSource.runMigrations({ transaction: 'each' });
await dataSource.query('CREATE TABLE IF NOT EXISTS crash_probe (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)');
const [{ next }] = await dataSource.query('SELECT COALESCE(MAX(id), 0) + 1 AS next FROM crash_probe');
// A few KiB per row so the file grows quickly and each rewrite takes long enough to be interrupted.
const payload = 'x'.repeat(8_192);

console.log('ready');
for (let id = Number(next); ; id++) {
  await dataSource.transaction((manager) =>
    manager.query('INSERT INTO crash_probe (id, payload) VALUES (?, ?)', [id, `${id}:${payload}`]),
  );
  // Written only after the commit resolved; stdout is a pipe, which Node writes synchronously on Linux.
  console.log(id);
}
