import {
  HttpStatus,
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants.js';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { lastValueFrom, of, type Observable } from 'rxjs';
import { Clock } from '../../shared/application/clock.js';
import { UnitOfWork } from '../../shared/application/unit-of-work.js';
import { ConcurrentUpdateError } from '../../shared/domain/domain-error.js';
import type { AuthenticatedRequest } from '../auth/request-authenticator.js';
import { IdempotencyKeyReusedError } from './idempotency-key-reused.error.js';
import { IDEMPOTENT_REPLAYED_HEADER, parseIdempotencyKey } from './idempotency-key.js';
import { IdempotencySettings } from './idempotency-settings.js';
import { IdempotencyKeyTakenError, IdempotencyStore, type IdempotencyRecord } from './idempotency-store.js';
import { IdempotentRequests, type PendingIdempotentRequest } from './idempotent-request.js';
import { requestFingerprint, scopeId } from './request-fingerprint.js';

/**
 * Rounds of "read the record, else claim it". A round ends in another only when a claim found a row: an expired
 * one (deleted, then claimed again) or one a concurrent request committed (replayed next round). Three rounds
 * cover both; more would mean the key's row keeps appearing and vanishing, which no client should cause.
 */
const MAX_ROUNDS = 3;

/**
 * `Idempotency-Key` for one route (SPEC §4), applied with `@Idempotent()`.
 *
 * The answer is stored in the transaction of the command that produces it (`IdempotentRequests`, a command hook):
 * the claim is that transaction's first statement and the answer its last, so there is no lease and no crash window
 * — the record commits with the command's writes and outbox rows, or not at all. The command's `prepare` runs
 * before, outside any transaction, like everywhere else (no pooled connection is held while it runs).
 *
 * - Same key, same request → the stored answer again, with `Idempotent-Replayed: true`; another request → 40902.
 * - A concurrent duplicate: on MySQL its claim waits on the first request's uncommitted key and fails once that
 *   commits (→ replay), or goes through if it rolled back (→ it runs itself). On SQLite the unit of work runs
 *   transactions one at a time, so the duplicate's claim finds the committed row.
 * - Results are stored only for successful responses: a handler that throws rolls the claim back with everything
 *   else, so the client may retry with the same key.
 * - The stored body is the command's result, which is what the routes answer. A route that answers something else
 *   has the record corrected right after its commit (a crash in between would replay the command's result), and a
 *   route that sends no command gets its answer stored in a transaction of its own — both logged, as they should
 *   not happen: an idempotent route sends one command and answers its result.
 * - A retry round (the key turned out to be taken) re-subscribes `next.handle()`, which re-runs pipes and controller:
 *   checked in @nestjs/core 12.5 (interceptors/interceptors-consumer.js): `handle()` returns
 *   `defer(bindAsyncScope(() => nextFn(i + 1)))`, and the last `nextFn` calls the controller on each subscription.
 *   `bindAsyncScope` captures the async context when `handle()` is called, which is why it is called inside
 *   `requests.run`: the command hook then sees this request.
 * - The body is never logged.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');
  /** Routes seen answering without a command: their keys are read before the handler runs, not by its claim. */
  private readonly commandless = new Set<string>();

  constructor(
    private readonly store: IdempotencyStore,
    private readonly requests: IdempotentRequests,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly settings: IdempotencySettings,
    private readonly reflector: Reflector,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler<unknown>): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const reply = http.getResponse<FastifyReply>();
    const key = parseIdempotencyKey(request.headers['idempotency-key']);
    const userId = request.principal?.id;
    const route = request.routeOptions.url ?? request.url;
    const id = scopeId({ userId, method: request.method, route, key });
    const fingerprint = requestFingerprint(request.url, request.body);
    // What the route answers on success: Nest sets the same status after the interceptors (@HttpCode, else by method).
    const statusCode =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
      (request.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);

    for (let round = 1; round <= MAX_ROUNDS; round++) {
      const now = this.clock.now();
      // A new key is the common case: the first round goes straight to the command, whose transaction claims the
      // key; a key that turns out to be taken is read in the next round.
      const existing = round === 1 && !this.commandless.has(route) ? undefined : await this.store.find(id);
      // statusCode null: the embedded profile reads another request's uncommitted claim outside a transaction.
      // Claiming below waits for that transaction (the unit of work serialises them) and then sees its outcome.
      if (existing !== undefined && existing.statusCode !== null) {
        if (existing.expiresAt > now) return of(this.replay(existing, fingerprint, reply));
        // In a unit of work of its own: on SQLite a statement outside one would land in whichever transaction
        // holds the single connection (and roll back with it).
        await this.unitOfWork.run(() => this.store.deleteExpired(id, now));
      }
      const pending: PendingIdempotentRequest = {
        claim: {
          id,
          fingerprint,
          userId,
          route,
          createdAt: now,
          expiresAt: new Date(now.getTime() + this.settings.retentionMs),
        },
        statusCode,
      };
      try {
        const answer = await this.requests.run(pending, () =>
          lastValueFrom(next.handle(), { defaultValue: undefined }),
        );
        await this.settle(pending, answer, route);
        return of(answer);
      } catch (error) {
        if (!(error instanceof IdempotencyKeyTakenError)) throw error;
        // Another request holds (held) the key: the next round reads its committed answer.
      }
    }
    this.logger.warn({ msg: 'idempotency key kept changing hands; asking the client to retry', route });
    throw new ConcurrentUpdateError('The request is being processed concurrently; retry with the same key');
  }

  /** Makes sure the record holds what the client got (see the class comment for when it does not yet). */
  private async settle(pending: PendingIdempotentRequest, answer: unknown, route: string): Promise<void> {
    const body = answer === undefined ? null : JSON.stringify(answer);
    if (pending.storedBody === undefined) {
      this.commandless.add(route);
      this.logger.warn({ msg: 'idempotent route answered without a command; its answer is stored separately', route });
      await this.unitOfWork.run(async () => {
        await this.store.claim(pending.claim);
        await this.store.complete(pending.claim.id, pending.statusCode, body);
      });
    } else if (answer !== pending.result && body !== pending.storedBody) {
      this.logger.warn({ msg: 'idempotent route answered other than its command’s result; record corrected', route });
      await this.unitOfWork.run(() => this.store.complete(pending.claim.id, pending.statusCode, body));
    }
  }

  private replay(record: IdempotencyRecord, fingerprint: string, reply: FastifyReply): unknown {
    if (record.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
    // Nest applies the route's status after the interceptors; it is the one stored (the route's status on success).
    void reply.status(record.statusCode ?? HttpStatus.OK).header(IDEMPOTENT_REPLAYED_HEADER, 'true');
    return record.body === null ? undefined : (JSON.parse(record.body) as unknown);
  }
}
