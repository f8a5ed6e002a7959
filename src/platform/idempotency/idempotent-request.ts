import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { FailAfterCommit } from '../../shared/application/transactional-command-handler.js';
import { CommandHooks } from '../messaging/command-hooks.js';
import { IdempotencyStore, type IdempotencyClaim } from './idempotency-store.js';

/** One request under an `Idempotency-Key`, from the interceptor to the command that answers it. */
export interface PendingIdempotentRequest {
  readonly claim: IdempotencyClaim;
  /** What the route answers on success (stored with the body). */
  readonly statusCode: number;
  /** The command the record belongs to: the first one the request sends (a deadlock retry sends it again). */
  command?: unknown;
  /** The command's result and its JSON as stored, once its transaction has written them. */
  result?: unknown;
  storedBody?: string | null;
}

/**
 * Writes the `Idempotency-Key` record in the transaction of the command that answers the request, through a
 * command hook: the claim is the transaction's first statement and the answer its last, so the record exists if
 * and only if the command's changes do — no lease, no crash window. The command's `prepare` (catalog look-ups,
 * password hashing) runs before, outside any transaction, as for every command.
 *
 * Only the first command of the request is concerned. Later ones — nested commands, commands of event handlers the
 * relay runs after the commit (they inherit the request's async context) — pass straight through.
 */
@Injectable()
export class IdempotentRequests implements OnModuleInit {
  private readonly storage = new AsyncLocalStorage<PendingIdempotentRequest>();

  constructor(
    private readonly hooks: CommandHooks,
    private readonly store: IdempotencyStore,
  ) {}

  onModuleInit(): void {
    this.hooks.add((command, next) => this.aroundCommand(command, next));
  }

  /** Runs the route's handler with `request` pending: its first command claims the key and stores the answer. */
  run<T>(request: PendingIdempotentRequest, handler: () => Promise<T>): Promise<T> {
    return this.storage.run(request, handler);
  }

  private async aroundCommand(command: unknown, next: () => Promise<unknown>): Promise<unknown> {
    const request = this.storage.getStore();
    if (request === undefined || (request.command !== undefined && request.command !== command)) return next();
    request.command = command;
    // On MySQL a concurrent duplicate's claim waits here on this request's uncommitted key, and fails with a
    // duplicate key once this transaction commits (IdempotencyKeyTakenError → the interceptor replays).
    await this.store.claim(request.claim);
    const result = await next();
    if (result instanceof FailAfterCommit) {
      // The command commits but the client gets an error: nothing to replay, the key stays free.
      await this.store.release(request.claim.id);
      return result;
    }
    const body = result === undefined ? null : JSON.stringify(result);
    await this.store.complete(request.claim.id, request.statusCode, body);
    request.result = result;
    request.storedBody = body;
    return result;
  }
}
