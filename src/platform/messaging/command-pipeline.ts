import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import {
  runTransactionalCommand,
  type TransactionalCommandHandler,
} from '../../shared/application/transactional-command-handler.js';
import { UnitOfWork } from '../../shared/application/unit-of-work.js';
import { inSpan, orderlyTracer, tracingEnabled } from '../telemetry/tracing.js';
import { CommandHooks } from './command-hooks.js';

/**
 * The metadata key `@CommandHandler` sets (@nestjs/cqrs 12 does not export it from its entry point). Were it to
 * change, no handler would be wrapped and every command would fail loudly ("saved outside a unit of work").
 */
const COMMAND_HANDLER_METADATA = '__commandHandler__';

type AnyHandler = TransactionalCommandHandler<unknown, unknown, unknown> & { execute: (...args: never[]) => unknown };

/**
 * Wraps every `@CommandHandler` once, at start-up, the way a decorator wraps a handler in the modular monoliths
 * this codebase learns from: `prepare` outside any transaction, then `execute` inside a unit of work (one
 * transaction, deadlock retry from a fresh load, outbox write before commit), with one debug line per command.
 * Handlers therefore contain only the use case; none of them opens a transaction or can forget to.
 *
 * With tracing on, each command runs in a span named `command <HandlerClass>` (attributes `orderly.handler`,
 * `orderly.command`; a failure is recorded on it): its queries are its children, and the outbox rows it writes
 * carry its context, so the event handlers it causes continue its trace. With tracing off no span code runs.
 *
 * The wrapping replaces the handler instance's `execute`, which the CQRS command bus calls for every command.
 * Anything else that calls a handler directly (unit tests) uses `runTransactionalCommand` with a unit of work of its
 * own, so the same rules apply there.
 */
@Injectable()
export class CommandPipeline implements OnModuleInit {
  private readonly logger = new Logger('CommandPipeline');
  private readonly wrapped = new WeakSet<object>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly unitOfWork: UnitOfWork,
    // Defaulted so harnesses that build the pipeline by hand need no hooks; Nest injects the shared registry.
    private readonly hooks: CommandHooks = new CommandHooks(),
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      const metatype = wrapper.metatype as (abstract new (...args: never[]) => unknown) | null | undefined;
      if (instance === null || typeof instance !== 'object' || metatype === null || metatype === undefined) continue;
      if (Reflect.getMetadata(COMMAND_HANDLER_METADATA, metatype) === undefined) continue;
      this.wrap(instance as AnyHandler, metatype.name);
    }
  }

  private wrap(handler: AnyHandler, name: string): void {
    if (this.wrapped.has(handler)) return;
    this.wrapped.add(handler);
    const bare: (command: unknown, prepared: unknown) => Promise<unknown> = handler.execute.bind(handler);
    // Inside the unit of work: the hooks (the Idempotency-Key record) share the command's transaction.
    const execute = (command: unknown, prepared: unknown) => this.hooks.around(command, () => bare(command, prepared));
    const handle = async (command: unknown) => {
      const started = performance.now();
      const result = await runTransactionalCommand(this.unitOfWork, handler, command, execute);
      this.logger.debug({
        msg: 'command handled',
        handler: name,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
      return result;
    };
    if (!tracingEnabled()) {
      handler.execute = handle;
      return;
    }
    const tracer = orderlyTracer();
    handler.execute = (command: unknown) =>
      inSpan(
        tracer,
        `command ${name}`,
        { attributes: { 'orderly.handler': name, 'orderly.command': commandName(command) } },
        () => handle(command),
      );
  }
}

function commandName(command: unknown): string {
  return (command as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'unknown';
}
