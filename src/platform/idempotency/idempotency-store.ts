import { Injectable } from '@nestjs/common';
import { LessThanOrEqual } from 'typeorm';
import { isUniqueViolation } from '../persistence/persistence-errors.js';
import { executeSql, sqlDate } from '../persistence/raw-sql.js';
import { TransactionContext } from '../persistence/transaction-context.js';
import { IdempotencyRecordOrmEntity } from './idempotency-record.orm-entity.js';

/** A stored answer as the interceptor needs it. `statusCode` is null only while its request is still running. */
export interface IdempotencyRecord {
  readonly id: string;
  readonly fingerprint: string;
  readonly statusCode: number | null;
  readonly body: string | null;
  readonly expiresAt: Date;
}

/** What a claim writes: the record before its request has an answer. */
export interface IdempotencyClaim {
  readonly id: string;
  readonly fingerprint: string;
  readonly userId: string | undefined;
  readonly route: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/**
 * Thrown by `claim` when the key's row already exists (committed by another request, possibly an expired one).
 * A plain Error on purpose: the unit of work rolls back and passes it through unchanged, where the driver's
 * duplicate-key error would have been translated into 409 40900 (persistence-errors.ts).
 */
export class IdempotencyKeyTakenError extends Error {
  constructor() {
    super('The idempotency key already has a record');
    this.name = 'IdempotencyKeyTakenError';
  }
}

/** Every query of the idempotency platform. Joins the current transaction when there is one (TransactionContext). */
@Injectable()
export class IdempotencyStore {
  constructor(private readonly context: TransactionContext) {}

  private records() {
    return this.context.manager().getRepository(IdempotencyRecordOrmEntity);
  }

  async find(id: string): Promise<IdempotencyRecord | undefined> {
    const row = await this.records().findOne({
      where: { id },
      select: { id: true, fingerprint: true, statusCode: true, body: true, expiresAt: true },
    });
    return row ?? undefined;
  }

  /**
   * The first statement of the request's transaction. On MySQL a concurrent duplicate's INSERT waits here on the
   * first one's uncommitted key and fails with a duplicate key once it commits (or succeeds if it rolls back).
   */
  async claim(claim: IdempotencyClaim): Promise<void> {
    try {
      const manager = this.context.manager();
      await executeSql(
        manager,
        'INSERT INTO idempotency_keys (id, fingerprint, user_id, route, status_code, body, created_at, expires_at) ' +
          'VALUES (?, ?, ?, ?, NULL, NULL, ?, ?)',
        [
          claim.id,
          claim.fingerprint,
          claim.userId ?? null,
          claim.route,
          sqlDate(manager, claim.createdAt),
          sqlDate(manager, claim.expiresAt),
        ],
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new IdempotencyKeyTakenError();
      throw error;
    }
  }

  /**
   * The last statement of the command's transaction: the answer commits with the changes that produced it. Also
   * used after the commit, for a route that answers something other than its command's result.
   */
  async complete(id: string, statusCode: number, body: string | null): Promise<void> {
    await executeSql(this.context.manager(), 'UPDATE idempotency_keys SET status_code = ?, body = ? WHERE id = ?', [
      statusCode,
      body,
      id,
    ]);
  }

  /** Drops this request's own claim in its transaction (a command that answers an error but commits). */
  async release(id: string): Promise<void> {
    await this.records().delete({ id });
  }

  /**
   * Removes the key's record if it has expired, so the key acts as new. Only for a row already seen expired: a
   * DELETE of an existing row locks that row only (a DELETE of an absent key would take a gap lock on MySQL, and
   * two duplicates holding gap locks deadlock on their inserts).
   */
  async deleteExpired(id: string, now: Date): Promise<void> {
    await this.records().delete({ id, expiresAt: LessThanOrEqual(now) });
  }

  /** Deletes up to `limit` expired records, oldest expiry first (keyset on the expires_at index). */
  async pruneExpired(now: Date, limit: number): Promise<number> {
    const expired = await this.records()
      .createQueryBuilder('k')
      .select('k.id', 'id')
      .where('k.expires_at <= :now', { now })
      .orderBy('k.expires_at', 'ASC')
      .limit(limit)
      .getRawMany<{ id: string }>();
    if (expired.length === 0) return 0;
    const result = await this.records().delete(expired.map((row) => row.id));
    return result.affected ?? expired.length;
  }
}
