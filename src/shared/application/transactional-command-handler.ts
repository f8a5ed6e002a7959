import type { UnitOfWork } from './unit-of-work.js';

/**
 * The shape of every command handler. The platform's command pipeline wraps each one (ARCHITECTURE §3): it calls
 * `prepare` once, outside any transaction, then `execute` inside a unit of work — re-running `execute` from
 * scratch when the transaction hits a deadlock — so handlers never open transactions themselves.
 *
 * `prepare` is for slow work that needs no consistent read and changes nothing, such as checking or hashing a
 * password (~25 ms of CPU): done inside the transaction it would hold a pooled connection, and on the embedded
 * profile every other writer, for that long. It must not create aggregates: an aggregate belongs to the attempt
 * that saves it.
 */
export interface TransactionalCommandHandler<TCommand, TResult, TPrepared = undefined> {
  prepare?(command: TCommand): Promise<TPrepared>;
  execute(command: TCommand, prepared: TPrepared): Promise<TResult | FailAfterCommit>;
}

/**
 * Returned (not thrown) by `execute` when the answer is an error but what the transaction did must stand — e.g. a
 * re-used refresh token: its family is revoked, then the caller gets 40102. A thrown error rolls back.
 */
export class FailAfterCommit {
  constructor(readonly error: Error) {}
}

/** What the pipeline does with a handler; unit tests call it with the in-memory unit of work. */
export async function runTransactionalCommand<TCommand, TResult, TPrepared>(
  unitOfWork: UnitOfWork,
  handler: TransactionalCommandHandler<TCommand, TResult, TPrepared>,
  command: TCommand,
  execute: (command: TCommand, prepared: TPrepared) => Promise<TResult | FailAfterCommit> = handler.execute.bind(
    handler,
  ),
): Promise<TResult> {
  const prepared = (handler.prepare === undefined ? undefined : await handler.prepare(command)) as TPrepared;
  const result = await unitOfWork.run(() => execute(command, prepared));
  if (result instanceof FailAfterCommit) throw result.error;
  return result;
}
