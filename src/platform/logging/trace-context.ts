import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

/**
 * The trace id of the work in progress — the request's, or the one an outbox row carried into an asynchronous
 * handler — read from the logging context that request-logging.hook.ts opens per request. Outbox rows store it,
 * and the relay reopens it around each handler, so one id follows a flow from the request through every reaction.
 */
@Injectable()
export class TraceContext {
  constructor(private readonly logger: PinoLogger) {}

  current(): string | undefined {
    // The logger is missing only outside an application (hand-wired tests): then there is no trace to carry.
    const logger = this.logger.logger as PinoLogger['logger'] | undefined;
    const traceId = (logger?.bindings() as { traceId?: unknown } | undefined)?.traceId;
    return typeof traceId === 'string' ? traceId : undefined;
  }

  /** Runs `work` with every log line it writes tagged with these bindings (and the trace id they name). */
  run<T>(bindings: { traceId?: string | null } & Record<string, unknown>, work: () => Promise<T>): Promise<T> {
    let result: Promise<T> | undefined;
    this.logger.runInContext(
      () => {
        result = work();
      },
      { bindings },
    );
    return result ?? Promise.reject(new Error('runInContext did not run its callback'));
  }
}
