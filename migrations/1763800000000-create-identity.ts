import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Identity's schema: users and their refresh-token families. Written with the Table API so the same migration
 * runs on SQLite (embedded) and MySQL/MariaDB (server). Timestamps are UTC `datetime(6)`; ids are UUID v7 strings.
 */
export class CreateIdentity1763800000000 implements MigrationInterface {
  name = 'CreateIdentity1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
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
      }),
    );
    await queryRunner.createTable(
      new Table({
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
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('identity_refresh_tokens');
    await queryRunner.dropTable('identity_users');
  }
}
