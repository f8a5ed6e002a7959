import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Tracing (docs/ARCHITECTURE.md, "Tracing"): an outbox row already stores the W3C `traceparent` of the span that
 * caused its event (`trace_context`); this adds its `tracestate`, so asynchronous handlers and broker messages
 * continue the trace with the vendors' state as well. Nullable: rows written before, or without tracing, have none.
 * The table's default character set (utf8mb4 on MySQL, see migration-schema.ts) applies to the new column.
 */
export class AddOutboxTraceState1764806400000 implements MigrationInterface {
  name = 'AddOutboxTraceState1764806400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'outbox_events',
      new TableColumn({ name: 'trace_state', type: 'varchar', length: '512', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('outbox_events', 'trace_state');
  }
}
