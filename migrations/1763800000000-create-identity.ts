import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createTable } from '../src/platform/persistence/migration-schema.js';

/**
 * Identity's schema: users and their refresh-token families. Written with the Table API so the same migration
 * runs on SQLite (embedded) and MySQL/MariaDB (server). Timestamps are UTC `datetime(6)`; ids are UUID v7 strings.
 * Tables are created through `createTable` (platform/persistence/migration-schema.ts): utf8mb4 on MySQL/MariaDB
 * whatever the database's default character set. Changed in place after it first shipped (it used to inherit the
 * default): there were no production databases yet; a database created from the old version keeps its tables'
 * character set until it is re-created.
 */
export class CreateIdentity1763800000000 implements MigrationInterface {
  name = 'CreateIdentity1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createTable(queryRunner, {
      name: 'identity_users',
      columns: [
        { name: 'id', type: 'varchar', length: '36', isPrimary: true },
        { name: 'email', type: 'varchar', length: '254' },
        { name: 'password_hash', type: 'varchar', length: '255' },
        { name: 'display_name', type: 'varchar', length: '100' },
        { name: 'roles', type: 'varchar', length: '64' },
        { name: 'status', type: 'varchar', length: '16' },
        { name: 'version', type: 'int' },
        { name: 'created_at', type: 'datetime', precision: 6 },
        { name: 'updated_at', type: 'datetime', precision: 6 },
      ],
      indices: [
        // Uniqueness is enforced by the database, so concurrent registrations cannot both win;
        // the same index serves the admin list's email-prefix filter (LIKE 'prefix%').
        new TableIndex({ name: 'uq_identity_users_email', columnNames: ['email'], isUnique: true }),
        // Admin list filtered by status, keyset-paginated by id.
        new TableIndex({ name: 'ix_identity_users_status_id', columnNames: ['status', 'id'] }),
      ],
    });
    await createTable(queryRunner, {
      name: 'identity_refresh_tokens',
      columns: [
        { name: 'id', type: 'varchar', length: '36', isPrimary: true },
        { name: 'family_id', type: 'varchar', length: '36' },
        { name: 'user_id', type: 'varchar', length: '36' },
        { name: 'token_hash', type: 'varchar', length: '64' },
        { name: 'expires_at', type: 'datetime', precision: 6 },
        { name: 'used_at', type: 'datetime', precision: 6, isNullable: true },
        { name: 'revoked_at', type: 'datetime', precision: 6, isNullable: true },
        { name: 'created_at', type: 'datetime', precision: 6 },
      ],
      indices: [
        new TableIndex({ name: 'uq_identity_refresh_tokens_hash', columnNames: ['token_hash'], isUnique: true }),
        new TableIndex({ name: 'ix_identity_refresh_tokens_family', columnNames: ['family_id'] }),
        new TableIndex({ name: 'ix_identity_refresh_tokens_user', columnNames: ['user_id'] }),
      ],
    });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('identity_refresh_tokens');
    await queryRunner.dropTable('identity_users');
  }
}
