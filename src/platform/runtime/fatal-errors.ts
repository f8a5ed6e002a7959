import type { INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';

/**
 * The fatal-error policy (SPEC §4): an unhandledRejection or uncaughtException means the process is in an
 * unknown state. Log it once (with the request id when the error carries one), give shutdown hooks a bounded
 * moment to flush, and exit non-zero so the orchestrator replaces the instance.
 */
export function installFatalErrorHandlers(app: INestApplication, graceMs = 2_000): void {
  let handling = false;
  const onFatal = (kind: string) => (error: unknown) => {
    if (handling) return;
    handling = true;
    const traceId = (error as { traceId?: unknown } | null)?.traceId;
    try {
      app.get(Logger).fatal({ err: error, kind, traceId }, `${kind}: the process will exit`);
    } catch {
      console.error(kind, error);
    }
    const forceExit = setTimeout(() => process.exit(1), graceMs);
    forceExit.unref();
    void app.close().finally(() => process.exit(1));
  };
  process.on('unhandledRejection', onFatal('unhandledRejection'));
  process.on('uncaughtException', onFatal('uncaughtException'));
}
