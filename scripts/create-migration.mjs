#!/usr/bin/env node
// `npm run migration:create -- add-orders`: writes migrations/<timestamp>-add-orders.ts from a portable template
// (tables through platform/persistence/migration-schema.ts's createTable: utf8mb4 on MySQL/MariaDB) and registers
// the class in migrations/index.ts (migrations are listed explicitly, never globbed).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const name = process.argv[2];
if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) {
  console.error('usage: npm run migration:create -- <kebab-case-name>');
  process.exit(1);
}
const timestamp = Date.now();
const className = `${name.replace(/(^|-)([a-z0-9])/g, (_m, _d, c) => c.toUpperCase())}${timestamp}`;
const file = `${timestamp}-${name}`;
const folder = join(import.meta.dirname, '..', 'migrations');
const target = join(folder, `${file}.ts`);
if (existsSync(target)) throw new Error(`${target} exists`);

writeFileSync(
  target,
  `import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createTable } from '../src/platform/persistence/migration-schema.js';

/**
 * TODO: say what this changes and why.
 * Portable: the Table API runs on SQLite (embedded) and MySQL/MariaDB (server). Create tables with \`createTable\`
 * (utf8mb4 on MySQL/MariaDB whatever the database's default); columns added later with \`queryRunner.addColumn\`
 * inherit it. Import nothing but typeorm and src/platform/persistence/migration-*.ts: entities and enums change,
 * a migration must not (npm run lint:arch checks it). Timestamps are \`datetime\` with precision 6, UTC.
 */
export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createTable(queryRunner, {
      name: 'todo',
      columns: [{ name: 'id', type: 'varchar', length: '36', isPrimary: true }],
    });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('todo');
  }
}
`,
);
const index = join(folder, 'index.ts');
let source = readFileSync(index, 'utf8');
const lastImport = source.lastIndexOf('\nimport ');
const insertAt = source.indexOf('\n', lastImport + 1) + 1;
source = `${source.slice(0, insertAt)}import { ${className} } from './${file}.js';\n${source.slice(insertAt)}`;
source = source.replace(/= \[([^\]]*)\];/, (_m, list) => `= [${list.trim().replace(/,$/, '')}, ${className}];`);
writeFileSync(index, source);
console.log(`created migrations/${file}.ts and registered ${className}`);
