import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createTable, isMysql } from '../src/platform/persistence/migration-schema.js';

/**
 * The stored answers of `@Idempotent()` routes (SPEC §4, src/platform/idempotency/). The primary key is the scope
 * hash (user, method, route template, key): a concurrent duplicate's INSERT waits on it and fails once the first
 * request commits. `expires_at` is indexed for the pruner, which deletes expired rows in batches.
 */
export class CreateIdempotencyKeys1765152000000 implements MigrationInterface {
  name = 'CreateIdempotencyKeys1765152000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Fixed-width hex hashes: CHAR on MySQL; SQLite has no such type worth the name.
    const hash = isMysql(queryRunner) ? 'char' : 'varchar';
    await createTable(queryRunner, {
      name: 'idempotency_keys',
      columns: [
        { name: 'id', type: hash, length: '64', isPrimary: true },
        { name: 'fingerprint', type: hash, length: '64' },
        { name: 'user_id', type: 'varchar', length: '36', isNullable: true },
        { name: 'route', type: 'varchar', length: '255' },
        { name: 'status_code', type: 'int', isNullable: true },
        // An answer may be a large page; MySQL's TEXT stops at 64 KiB. SQLite's TEXT has no such limit.
        { name: 'body', type: isMysql(queryRunner) ? 'longtext' : 'text', isNullable: true },
        { name: 'created_at', type: 'datetime', precision: 6 },
        { name: 'expires_at', type: 'datetime', precision: 6 },
      ],
      indices: [new TableIndex({ name: 'ix_idempotency_keys_expires', columnNames: ['expires_at'] })],
    });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('idempotency_keys');
  }
}
