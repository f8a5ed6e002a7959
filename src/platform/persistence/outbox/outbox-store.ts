import { Injectable } from '@nestjs/common';
import { In, IsNull, LessThan, Not, type SelectQueryBuilder } from 'typeorm';
import { IdGenerator } from '../../../shared/application/id-generator.js';
import { executeSql, sqlDate } from '../raw-sql.js';
import { TransactionContext } from '../transaction-context.js';
import { TypeOrmUnitOfWork, type TransactionOptions } from '../typeorm-unit-of-work.js';
import { DeadLetterOrmEntity } from './dead-letter.orm-entity.js';
import { InboxOrmEntity } from './inbox.orm-entity.js';
import { OutboxEventOrmEntity } from './outbox-event.orm-entity.js';
import { translatePersistenceError } from '../persistence-errors.js';
import { DuplicateError } from '../../../shared/domain/domain-error.js';

export type OutboxRecord = OutboxEventOrmEntity;

export interface ClaimResult {
  readonly claimed: OutboxRecord[];
  /** Claimed rows of types nobody handles in-process: marked delivered in the claiming transaction itself. */
  readonly delivered: OutboxRecord[];
}

export interface FailedHandler {
  readonly handler: string;
  readonly error: string;
}

export interface OutboxStats {
  readonly backlog: number;
  readonly oldestUndeliveredAt: Date | undefined;
  readonly unpublished: number;
  readonly openDeadLetters: number;
}

const MAX_ERROR_LENGTH = 1000;
/** Claims and bookkeeping take no gap locks (see TransactionOptions): relays and writers never queue on them. */
const RELAY_TRANSACTION: TransactionOptions = { isolation: 'READ COMMITTED', background: true };
/** The relay's bookkeeping after a delivery: on the connections kept for it (WriteLanes). */
const RELAY_WORK: TransactionOptions = { background: true };

/**
 * Every query of the events platform, for both dialects. Writes run through the unit of work — on the embedded
 * profile that is what keeps them from interleaving with other transactions on sql.js' single connection.
 *
 * Claiming (several relays on one MySQL/MariaDB database): due rows are selected `FOR UPDATE SKIP LOCKED`, so
 * relays never wait for each other and never select the same row; the winner stamps a lease (`claimed_until`)
 * and commits at once, so no lock is held while handlers run and a crashed relay's rows come back when the lease
 * runs out. Per-aggregate order: only the earliest undelivered event of an aggregate is claimable (the NOT EXISTS
 * below, a plain read — InnoDB locks no rows for a subquery of a locking read — that sees rows other relays have
 * locked, so their followers wait). A failing event therefore holds back the later events of its aggregate until it
 * is delivered or dead-lettered, and blocked rows never crowd a batch. This relies on the events of one aggregate
 * being written by transactions that serialise on the aggregate's row, which every save does (version check).
 */
@Injectable()
export class OutboxStore {
  private readonly locking: boolean;

  constructor(
    private readonly unitOfWork: TypeOrmUnitOfWork,
    private readonly context: TransactionContext,
    private readonly ids: IdGenerator,
  ) {
    this.locking = context.manager().connection.options.type === 'mysql';
  }

  /**
   * Claims due rows — all due rows, or only those among `eventIds` (delivery right after commit). Rows whose type
   * no in-process handler subscribes to are finished on the spot, saving a transaction per event.
   */
  claimDue(
    now: Date,
    leaseUntil: Date,
    limit: number,
    isHandled: (row: OutboxRecord) => boolean,
    eventIds?: readonly string[],
  ): Promise<ClaimResult> {
    return this.unitOfWork.run(async () => {
      let query = this.events()
        .createQueryBuilder('o')
        .where('o.delivered_at IS NULL')
        .andWhere('o.next_attempt_at <= :now', { now })
        .andWhere('(o.claimed_until IS NULL OR o.claimed_until < :now)', { now })
        .andWhere(
          'NOT EXISTS (SELECT 1 FROM outbox_events p WHERE p.aggregate_id = o.aggregate_id ' +
            'AND p.delivered_at IS NULL AND p.seq < o.seq)',
        )
        .orderBy('o.seq', 'ASC')
        .limit(limit);
      if (eventIds !== undefined) query = query.andWhere('o.id IN (:...eventIds)', { eventIds: [...eventIds] });
      const taken = await this.locked(query).getMany();
      if (taken.length === 0) return { claimed: [], delivered: [] };
      const handled = new Set(taken.filter(isHandled));
      const claimed = taken.filter((row) => handled.has(row));
      const delivered = taken.filter((row) => !handled.has(row));
      if (claimed.length > 0) {
        await this.events().update({ seq: In(claimed.map((row) => row.seq)) }, { claimedUntil: leaseUntil });
      }
      if (delivered.length > 0) {
        await this.events().update({ seq: In(delivered.map((row) => row.seq)) }, { deliveredAt: now });
      }
      return { claimed, delivered };
    }, RELAY_TRANSACTION);
  }

  /** Claims rows not yet published to the broker, in order, for the broker relay. */
  claimUnpublished(now: Date, leaseUntil: Date, limit: number): Promise<OutboxRecord[]> {
    return this.unitOfWork.run(async () => {
      const query = this.events()
        .createQueryBuilder('o')
        .where('o.published_at IS NULL')
        .andWhere('(o.publish_claimed_until IS NULL OR o.publish_claimed_until < :now)', { now })
        .orderBy('o.seq', 'ASC')
        .limit(limit);
      const rows = await this.locked(query).getMany();
      if (rows.length > 0) {
        await this.events().update({ seq: In(rows.map((row) => row.seq)) }, { publishClaimedUntil: leaseUntil });
      }
      return rows;
    }, RELAY_TRANSACTION);
  }

  markPublished(seqs: readonly number[], now: Date): Promise<void> {
    if (seqs.length === 0) return Promise.resolve();
    return this.unitOfWork.run(async () => {
      await this.events().update({ seq: In([...seqs]) }, { publishedAt: now, publishClaimedUntil: null });
    }, RELAY_TRANSACTION);
  }

  releasePublishClaims(seqs: readonly number[]): Promise<void> {
    if (seqs.length === 0) return Promise.resolve();
    return this.unitOfWork.run(async () => {
      await this.events().update({ seq: In([...seqs]) }, { publishClaimedUntil: null });
    }, RELAY_TRANSACTION);
  }

  /** Records that `handler` handled the event, in the caller's transaction; false when it already had. */
  async recordHandled(eventId: string, handler: string, now: Date): Promise<boolean> {
    try {
      const manager = this.context.manager();
      await executeSql(manager, 'INSERT INTO outbox_inbox (event_id, handler, handled_at) VALUES (?, ?, ?)', [
        eventId,
        handler,
        sqlDate(manager, now),
      ]);
      return true;
    } catch (error) {
      if (translatePersistenceError(error) instanceof DuplicateError) return false;
      throw error;
    }
  }

  markDelivered(seq: number, now: Date): Promise<void> {
    return this.unitOfWork.run(async () => {
      const manager = this.context.manager();
      await executeSql(
        manager,
        'UPDATE outbox_events SET delivered_at = ?, claimed_until = NULL, last_error = NULL WHERE seq = ?',
        [sqlDate(manager, now), seq],
      );
    }, RELAY_TRANSACTION);
  }

  /** Gives the claim back without counting an attempt (the relay is stopping, or an earlier event failed). */
  release(seqs: readonly number[]): Promise<void> {
    if (seqs.length === 0) return Promise.resolve();
    return this.unitOfWork.run(async () => {
      await this.events().update({ seq: In([...seqs]) }, { claimedUntil: null });
    }, RELAY_TRANSACTION);
  }

  scheduleRetry(seq: number, attempts: number, nextAttemptAt: Date, error: string): Promise<void> {
    return this.unitOfWork.run(async () => {
      await this.events().update(
        { seq },
        { attempts, nextAttemptAt, claimedUntil: null, lastError: error.slice(0, MAX_ERROR_LENGTH) },
      );
    }, RELAY_WORK);
  }

  /** The last attempt failed: one dead letter per failing handler, and the row is done (it no longer blocks). */
  deadLetter(row: OutboxRecord, attempts: number, failures: readonly FailedHandler[], now: Date): Promise<string[]> {
    return this.unitOfWork.run(async () => {
      const letters = failures.map((failure): DeadLetterOrmEntity => ({
        id: this.ids.next(),
        eventId: row.id,
        eventType: row.type,
        handler: failure.handler,
        attempts,
        lastError: failure.error.slice(0, MAX_ERROR_LENGTH),
        traceContext: row.traceContext,
        deadAt: now,
        replayedAt: null,
      }));
      await this.context.manager().getRepository(DeadLetterOrmEntity).insert(letters);
      await this.events().update(
        { seq: row.seq },
        { attempts, deliveredAt: now, claimedUntil: null, lastError: failures[0]?.error.slice(0, MAX_ERROR_LENGTH) },
      );
      return letters.map((letter) => letter.id);
    }, RELAY_WORK);
  }

  /** Keyset page of dead letters, newest first. */
  async listDeadLetters(limit: number, beforeId: string | undefined): Promise<DeadLetterOrmEntity[]> {
    const query = this.context
      .manager()
      .getRepository(DeadLetterOrmEntity)
      .createQueryBuilder('d')
      .orderBy('d.id', 'DESC')
      .limit(limit);
    if (beforeId !== undefined) query.where('d.id < :beforeId', { beforeId });
    return query.getMany();
  }

  /**
   * Marks the dead letter replayed and puts its event back in the queue with fresh attempts. Handlers that
   * already handled it are skipped by the inbox, so only the ones that gave up run again.
   */
  replayDeadLetter(id: string, now: Date): Promise<{ letter: DeadLetterOrmEntity; eventId: string } | undefined> {
    return this.unitOfWork.run(async () => {
      const letters = this.context.manager().getRepository(DeadLetterOrmEntity);
      const letter = await letters.findOneBy({ id });
      if (letter === null) return undefined;
      if (letter.replayedAt === null) {
        letter.replayedAt = now;
        await letters.update({ id }, { replayedAt: now });
        await this.events().update(
          { id: letter.eventId },
          { deliveredAt: null, attempts: 0, nextAttemptAt: now, claimedUntil: null },
        );
      }
      return { letter, eventId: letter.eventId };
    });
  }

  /**
   * Deletes up to `limit` rows of each kind that are finished and older than `cutoff`; returns how many. With a
   * broker, a row is finished once it is also published; without one, rows a broker configured earlier never
   * published are not kept forever.
   */
  prune(cutoff: Date, limit: number, keepUnpublished = true): Promise<number> {
    return this.unitOfWork.run(async () => {
      const manager = this.context.manager();
      const openLetters = manager
        .getRepository(DeadLetterOrmEntity)
        .createQueryBuilder('d')
        .select('d.event_id')
        .where('d.replayed_at IS NULL');
      const query = this.events()
        .createQueryBuilder('o')
        .select('o.seq', 'seq')
        .where('o.delivered_at < :cutoff', { cutoff })
        .andWhere(`o.id NOT IN (${openLetters.getQuery()})`)
        .orderBy('o.seq', 'ASC')
        .limit(limit);
      if (keepUnpublished) query.andWhere('o.published_at IS NOT NULL');
      const finished = await query.getRawMany<{ seq: number | string }>();
      let deleted = 0;
      if (finished.length > 0) {
        deleted += (await this.events().delete({ seq: In(finished.map((row) => Number(row.seq))) })).affected ?? 0;
      }
      const inbox = await manager
        .getRepository(InboxOrmEntity)
        .find({ where: { handledAt: LessThan(cutoff) }, take: limit, select: { eventId: true, handler: true } });
      for (const entry of inbox) {
        deleted += (await manager.getRepository(InboxOrmEntity).delete(entry)).affected ?? 0;
      }
      const replayed = await manager
        .getRepository(DeadLetterOrmEntity)
        .find({ where: { replayedAt: LessThan(cutoff) }, take: limit, select: { id: true } });
      if (replayed.length > 0) {
        deleted +=
          (await manager.getRepository(DeadLetterOrmEntity).delete({ id: In(replayed.map((row) => row.id)) }))
            .affected ?? 0;
      }
      return deleted;
    }, RELAY_WORK);
  }

  async stats(): Promise<OutboxStats> {
    const manager = this.context.manager();
    const backlog = await this.events()
      .createQueryBuilder('o')
      .select('COUNT(*)', 'count')
      .addSelect('MIN(o.occurred_at)', 'oldest')
      .where('o.delivered_at IS NULL')
      .getRawOne<{ count: number | string; oldest: Date | string | null }>();
    const unpublished = await this.events().count({ where: { publishedAt: IsNull() } });
    const openDeadLetters = await manager.getRepository(DeadLetterOrmEntity).count({ where: { replayedAt: IsNull() } });
    return {
      backlog: Number(backlog?.count ?? 0),
      oldestUndeliveredAt: toDate(backlog?.oldest ?? null),
      unpublished,
      openDeadLetters,
    };
  }

  /** For tests and operators: has every handler of this event finished with it? */
  async isDelivered(eventId: string): Promise<boolean> {
    return (await this.events().countBy({ id: eventId, deliveredAt: Not(IsNull()) })) === 1;
  }

  private events() {
    return this.context.manager().getRepository(OutboxEventOrmEntity);
  }

  private locked(query: SelectQueryBuilder<OutboxEventOrmEntity>): SelectQueryBuilder<OutboxEventOrmEntity> {
    return this.locking ? query.setLock('pessimistic_write').setOnLocked('skip_locked') : query;
  }
}

function toDate(value: Date | string | null): Date | undefined {
  if (value === null) return undefined;
  if (value instanceof Date) return value;
  // SQLite hands back TypeORM's UTC text form ("2026-12-01 10:00:00.000").
  return new Date(value.includes('T') ? value : `${value.replace(' ', 'T')}Z`);
}
