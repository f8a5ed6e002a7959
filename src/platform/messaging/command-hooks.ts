import { Injectable } from '@nestjs/common';

/**
 * Runs around a command handler's `execute`, inside its unit of work: `next()` is the handler (or the next hook);
 * what the hook returns is the command's result. A hook sees every command, including those sent by event handlers
 * and nested commands, so it must decide for itself which ones concern it.
 */
export type CommandHook = (command: unknown, next: () => Promise<unknown>) => Promise<unknown>;

/**
 * Platform features that must share a command's transaction register here (the Idempotency-Key record is written
 * in the transaction of the command it answers). The command pipeline wraps every handler's `execute` with them;
 * with none registered it calls `execute` directly.
 */
@Injectable()
export class CommandHooks {
  private readonly hooks: CommandHook[] = [];

  /** Register in `onModuleInit`; hooks run in registration order, the first outermost. */
  add(hook: CommandHook): void {
    this.hooks.push(hook);
  }

  around(command: unknown, execute: () => Promise<unknown>): Promise<unknown> {
    if (this.hooks.length === 0) return execute();
    const chain = this.hooks.reduceRight<() => Promise<unknown>>((next, hook) => () => hook(command, next), execute);
    return chain();
  }
}
