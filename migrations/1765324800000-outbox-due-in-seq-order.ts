import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The relay's claim reads undelivered rows oldest first (`delivered_at IS NULL … ORDER BY seq LIMIT n`). With the
 * index (delivered_at, next_attempt_at) MariaDB read every due row and sorted them (filesort) on every claim, so a
 * backlog of 10,000 rows cost each claim a full sort and ~60,000 index reads (measured on a copy of a bench
 * backlog: 40 ms a claim); walking (delivered_at, seq) instead returns rows in seq order and stops at the limit —
 * the next-attempt and lease conditions are cheap filters on rows already read (18 ms, no sort). The old index
 * served only this query and goes.
 */
export class OutboxDueInSeqOrder1765324800000 implements MigrationInterface {
  name = 'OutboxDueInSeqOrder1765324800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'outbox_events',
      new TableIndex({ name: 'ix_outbox_events_due_seq', columnNames: ['delivered_at', 'seq'] }),
    );
    await queryRunner.dropIndex('outbox_events', 'ix_outbox_events_due');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'outbox_events',
      new TableIndex({ name: 'ix_outbox_events_due', columnNames: ['delivered_at', 'next_attempt_at'] }),
    );
    await queryRunner.dropIndex('outbox_events', 'ix_outbox_events_due_seq');
  }
}
