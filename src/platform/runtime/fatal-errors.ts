import type { INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { activeSpanContext, flushTelemetry } from '../telemetry/tracing.js';

export interface FatalErrorPolicy {
  readonly log: (kind: string, error: unknown) => void;
  readonly close: () => Promise<unknown>;
  /** Exports buffered telemetry; runs alongside `close`, so a hanging shutdown hook cannot hold it up. */
  readonly flush?: () => Promise<unknown>;
  readonly exit: (code: number) => void;
  readonly graceMs: number;
}

/**
 * The fatal-error policy (SPEC §4): an unhandledRejection or uncaughtException means the process is in an
 * unknown state. Log it once (with the trace id when the error carries one or a span is active), give shutdown hooks
 * a bounded moment to flush logs and telemetry and close pools, then exit non-zero so the orchestrator replaces the
 * instance. The spans still buffered are exported alongside Nest's shutdown (which shuts the SDK down too), so they
 * are out even when a hook hangs until the grace period ends.
 * Anything fatal that happens while this runs is ignored: the first one is the cause, the rest are fallout.
 */
export function createFatalErrorHandler(policy: FatalErrorPolicy): (kind: string) => (error: unknown) => void {
  let handling = false;
  return (kind) => (error) => {
    if (handling) return;
    handling = true;
    policy.log(kind, error);
    const forceExit = setTimeout(() => policy.exit(1), policy.graceMs);
    forceExit.unref();
    const flushed = (policy.flush?.() ?? Promise.resolve()).catch(() => undefined);
    void Promise.all([flushed, policy.close().catch(() => undefined)]).finally(() => {
      clearTimeout(forceExit);
      policy.exit(1);
    });
  };
}

export function installFatalErrorHandlers(app: INestApplication, graceMs = 2_000): void {
  const onFatal = createFatalErrorHandler({
    log: (kind, error) => {
      const traceId = (error as { traceId?: unknown } | null)?.traceId ?? activeSpanContext()?.traceId;
      try {
        app.get(Logger).fatal({ err: error, kind, traceId }, `${kind}: the process will exit`);
      } catch {
        console.error(kind, error);
      }
    },
    close: () => app.close(),
    flush: () => flushTelemetry(graceMs / 2),
    exit: (code) => process.exit(code),
    graceMs,
  });
  process.on('unhandledRejection', onFatal('unhandledRejection'));
  process.on('uncaughtException', onFatal('uncaughtException'));
}
