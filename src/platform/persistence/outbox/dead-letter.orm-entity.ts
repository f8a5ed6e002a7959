import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An event one handler gave up on after OUTBOX_MAX_ATTEMPTS, kept for an admin to inspect and replay. */
@Entity({ name: 'outbox_dead_letters' })
export class DeadLetterOrmEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'event_id', type: 'varchar', length: 36 })
  eventId: string;

  @Column({ name: 'event_type', type: 'varchar', length: 100 })
  eventType: string;

  @Column({ type: 'varchar', length: 150 })
  handler: string;

  @Column({ type: 'int' })
  attempts: number;

  @Column({ name: 'last_error', type: 'varchar', length: 1000 })
  lastError: string;

  @Column({ name: 'trace_context', type: 'varchar', length: 128, nullable: true })
  traceContext: string | null;

  @Column({ name: 'dead_at', type: 'datetime', precision: 6 })
  deadAt: Date;

  @Column({ name: 'replayed_at', type: 'datetime', precision: 6, nullable: true })
  replayedAt: Date | null;
}
