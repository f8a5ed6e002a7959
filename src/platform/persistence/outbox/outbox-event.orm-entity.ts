import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One recorded domain event, written by the unit of work in the transaction that saved its aggregate.
 * `seq` orders events (per aggregate, delivery follows it); `id` is the event id every subscriber sees.
 * Delivery state (attempts, next attempt, lease, delivered) belongs to the in-process relay; `publishedAt` to the
 * broker relay, which works independently so a broker outage never holds up in-process handlers.
 */
@Entity({ name: 'outbox_events' })
export class OutboxEventOrmEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', name: 'seq' })
  seq: number;

  @Column({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 100 })
  type: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ name: 'aggregate_id', type: 'varchar', length: 64 })
  aggregateId: string;

  @Column({ type: 'text' })
  payload: string;

  @Column({ name: 'occurred_at', type: 'datetime', precision: 6 })
  occurredAt: Date;

  /** W3C `traceparent` when tracing is on, else the request's trace id: async handlers log and trace under it. */
  @Column({ name: 'trace_context', type: 'varchar', length: 128, nullable: true })
  traceContext: string | null;

  /**
   * W3C `tracestate` that goes with `traceContext` (vendors' entries; up to 512 characters), continued by the
   * handlers and sent to the broker. Optional in the type only so that rows built by hand may omit it.
   */
  @Column({ name: 'trace_state', type: 'varchar', length: 512, nullable: true })
  traceState?: string | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'datetime', precision: 6 })
  nextAttemptAt: Date;

  /** A relay that claimed the row owns it until then; a crashed relay's claim simply runs out. */
  @Column({ name: 'claimed_until', type: 'datetime', precision: 6, nullable: true })
  claimedUntil: Date | null;

  @Column({ name: 'delivered_at', type: 'datetime', precision: 6, nullable: true })
  deliveredAt: Date | null;

  /** Set when the broker confirmed the message — or at insert when no broker is configured (nothing to publish). */
  @Column({ name: 'published_at', type: 'datetime', precision: 6, nullable: true })
  publishedAt: Date | null;

  /** The broker relay's claim, like `claimedUntil` is the in-process relay's. */
  @Column({ name: 'publish_claimed_until', type: 'datetime', precision: 6, nullable: true })
  publishClaimedUntil: Date | null;

  @Column({ name: 'last_error', type: 'varchar', length: 1000, nullable: true })
  lastError: string | null;
}
