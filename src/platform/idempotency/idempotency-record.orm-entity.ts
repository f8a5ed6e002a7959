import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One stored answer of an `@Idempotent()` route. Written in the same transaction as the request's own changes
 * (claimed first, completed last), so a committed row always has its status and body: a row without them is only
 * ever seen by the embedded profile's reads outside a transaction, while its request is still running.
 */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyRecordOrmEntity {
  /**
   * sha256 of (user, method, route template, key): see request-fingerprint.ts. CHAR(64) on MySQL; declared varchar
   * here because sql.js refuses `char` in entity metadata (the migration chooses the column type per dialect).
   */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ type: 'varchar', length: 64 })
  fingerprint: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36, nullable: true })
  userId: string | null;

  @Column({ type: 'varchar', length: 255 })
  route: string;

  @Column({ name: 'status_code', type: 'int', nullable: true })
  statusCode: number | null;

  /** The handler's answer as JSON (before the envelope); null for an answer without a body. */
  @Column({ type: 'text', nullable: true })
  body: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 6 })
  createdAt: Date;

  @Index('ix_idempotency_keys_expires')
  @Column({ name: 'expires_at', type: 'datetime', precision: 6 })
  expiresAt: Date;
}
