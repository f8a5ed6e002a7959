import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createTable, isMysql } from '../src/platform/persistence/migration-schema.js';

/**
 * The events platform's tables (platform/persistence/outbox): the outbox the unit of work writes, the inbox that
 * makes handlers idempotent, and the dead letters an admin replays. Portable Table API, like every migration.
 */
export class CreateOutbox1764547200000 implements MigrationInterface {
  name = 'CreateOutbox1764547200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const sqlite = !isMysql(queryRunner);
    await createTable(queryRunner, {
      name: 'outbox_events',
      columns: [
        // SQLite autoincrements only an INTEGER PRIMARY KEY; MySQL needs BIGINT to never run out.
        {
          name: 'seq',
          type: sqlite ? 'integer' : 'bigint',
          isPrimary: true,
          isGenerated: true,
          generationStrategy: 'increment',
        },
        { name: 'id', type: 'varchar', length: '36' },
        { name: 'type', type: 'varchar', length: '100' },
        { name: 'version', type: 'int' },
        { name: 'aggregate_id', type: 'varchar', length: '64' },
        { name: 'payload', type: 'text' },
        { name: 'occurred_at', type: 'datetime', precision: 6 },
        { name: 'trace_context', type: 'varchar', length: '128', isNullable: true },
        { name: 'attempts', type: 'int', default: 0 },
        { name: 'next_attempt_at', type: 'datetime', precision: 6 },
        { name: 'claimed_until', type: 'datetime', precision: 6, isNullable: true },
        { name: 'delivered_at', type: 'datetime', precision: 6, isNullable: true },
        { name: 'published_at', type: 'datetime', precision: 6, isNullable: true },
        { name: 'publish_claimed_until', type: 'datetime', precision: 6, isNullable: true },
        { name: 'last_error', type: 'varchar', length: '1000', isNullable: true },
      ],
      indices: [
        new TableIndex({ name: 'uq_outbox_events_id', columnNames: ['id'], isUnique: true }),
        // The relay's claim: undelivered rows whose next attempt is due, oldest first.
        new TableIndex({ name: 'ix_outbox_events_due', columnNames: ['delivered_at', 'next_attempt_at'] }),
        // Per-aggregate ordering: is there an earlier undelivered event of this aggregate?
        new TableIndex({ name: 'ix_outbox_events_aggregate', columnNames: ['aggregate_id', 'delivered_at', 'seq'] }),
        // The broker relay's claim: unpublished rows in order.
        new TableIndex({ name: 'ix_outbox_events_unpublished', columnNames: ['published_at', 'seq'] }),
      ],
    });
    await createTable(queryRunner, {
      name: 'outbox_inbox',
      columns: [
        { name: 'event_id', type: 'varchar', length: '36', isPrimary: true },
        { name: 'handler', type: 'varchar', length: '150', isPrimary: true },
        { name: 'handled_at', type: 'datetime', precision: 6 },
      ],
      indices: [new TableIndex({ name: 'ix_outbox_inbox_handled_at', columnNames: ['handled_at'] })],
    });
    await createTable(queryRunner, {
      name: 'outbox_dead_letters',
      columns: [
        { name: 'id', type: 'varchar', length: '36', isPrimary: true },
        { name: 'event_id', type: 'varchar', length: '36' },
        { name: 'event_type', type: 'varchar', length: '100' },
        { name: 'handler', type: 'varchar', length: '150' },
        { name: 'attempts', type: 'int' },
        { name: 'last_error', type: 'varchar', length: '1000' },
        { name: 'trace_context', type: 'varchar', length: '128', isNullable: true },
        { name: 'dead_at', type: 'datetime', precision: 6 },
        { name: 'replayed_at', type: 'datetime', precision: 6, isNullable: true },
      ],
      indices: [
        new TableIndex({ name: 'ix_outbox_dead_letters_event', columnNames: ['event_id'] }),
        // The open dead letters (gauge) and pruning of replayed ones.
        new TableIndex({ name: 'ix_outbox_dead_letters_replayed', columnNames: ['replayed_at', 'id'] }),
      ],
    });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('outbox_dead_letters');
    await queryRunner.dropTable('outbox_inbox');
    await queryRunner.dropTable('outbox_events');
  }
}
