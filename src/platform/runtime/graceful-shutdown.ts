import type { Server } from 'node:http';
import { Logger, type INestApplication } from '@nestjs/common';

/** After the grace period the sockets are cut; the shutdown hooks (logs, pools) get this much longer, then exit. */
export const FORCED_EXIT_MARGIN_MS = 1_000;
/** While draining, keep-alive connections whose last request has been answered are closed this often. */
export const IDLE_SWEEP_MS = 50;

export interface DrainPolicy {
  /** SHUTDOWN_GRACE_MS: how long in-flight requests may take to finish once a signal arrived. */
  readonly graceMs: number;
  /** Nest's shutdown sequence: readiness 503, stop accepting, wait for in-flight requests, close pools. */
  readonly close: () => Promise<unknown>;
  /**
   * Closes keep-alive connections that carry no request. The server closes the idle ones once when it stops
   * listening; a request already in flight then still answers with keep-alive, and its connection would hold the
   * close up for the whole keep-alive timeout (5 s) after it was answered. Swept every IDLE_SWEEP_MS instead.
   */
  readonly closeIdleConnections: () => void;
  /** Destroys every connection still open, in-flight requests included; resolves to how many there were. */
  readonly closeConnections: () => Promise<number>;
  readonly log: {
    info(message: string, fields: object): void;
    warn(message: string, fields: object): void;
    error(message: string, fields: object): void;
  };
  readonly exit: (code: number) => void;
  readonly forcedExitMarginMs?: number;
}

/**
 * Graceful shutdown bounded by SHUTDOWN_GRACE_MS (SPEC §4). The first SIGTERM/SIGINT starts Nest's shutdown
 * sequence and a timer. Drained in time: exit 0. Grace period over (or a second signal, e.g. Ctrl-C twice): the
 * remaining connections are cut, their clients see a reset — logged at warn with how many — and the process exits
 * 1 once the hooks finish, at the latest FORCED_EXIT_MARGIN_MS later, so an orchestrator's own deadline
 * (Kubernetes' terminationGracePeriodSeconds, which must be longer) is never the one that ends it.
 */
export function createGracefulShutdown(policy: DrainPolicy): (signal: string) => void {
  let state: 'running' | 'draining' | 'forced' | 'done' = 'running';
  const margin = policy.forcedExitMarginMs ?? FORCED_EXIT_MARGIN_MS;
  let graceTimer: NodeJS.Timeout | undefined;
  let sweep: NodeJS.Timeout | undefined;

  const finish = (code: number): void => {
    if (state === 'done') return;
    state = 'done';
    clearTimeout(graceTimer);
    clearInterval(sweep);
    policy.exit(code);
  };

  const force = (reason: string): void => {
    if (state !== 'draining') return;
    state = 'forced';
    clearTimeout(graceTimer);
    // Not unref'd: this timer is what ends the process if a hook hangs.
    setTimeout(() => {
      policy.log.error('shutdown hooks did not finish: exiting', { marginMs: margin });
      finish(1);
    }, margin);
    void policy.closeConnections().then(
      (open) => policy.log.warn(`${reason}: closed ${open} open connection(s)`, { graceMs: policy.graceMs, open }),
      (error: unknown) => policy.log.error('could not close open connections', { err: error }),
    );
  };

  return (signal) => {
    if (state === 'draining') {
      force(`second ${signal} while draining`);
      return;
    }
    if (state !== 'running') return;
    state = 'draining';
    policy.log.info('shutting down: draining in-flight requests', { signal, graceMs: policy.graceMs });
    graceTimer = setTimeout(() => force('shutdown grace period over'), policy.graceMs);
    sweep = setInterval(policy.closeIdleConnections, IDLE_SWEEP_MS);
    sweep.unref();
    policy.close().then(
      () => finish(state === 'forced' ? 1 : 0),
      (error: unknown) => {
        policy.log.error('shutdown failed', { err: error });
        finish(1);
      },
    );
  };
}

/**
 * Installs the bounded drain for SIGTERM (orchestrators) and SIGINT (Ctrl-C). It joins the shutdown Nest starts
 * for the same signals (`enableShutdownHooks` in configure-http.ts; a second `close()` awaits the same sequence)
 * and ends the process itself: with `process.exit`, so pino's exit hook flushes the last log lines, and with a
 * code that says whether everything drained. Nest re-raises the signal when its sequence ends; this listener is
 * still installed then, so that re-raise never kills the process before the exit code is set.
 */
export function installGracefulShutdown(app: INestApplication, graceMs: number): void {
  const logger = new Logger('Shutdown');
  const server = app.getHttpServer() as Server;
  const onSignal = createGracefulShutdown({
    graceMs,
    close: () => app.close(),
    closeIdleConnections: () => server.closeIdleConnections(),
    closeConnections: () =>
      new Promise<number>((resolve) => {
        server.getConnections((error, count) => {
          server.closeAllConnections();
          resolve(error === null ? count : 0);
        });
      }),
    log: {
      info: (message, fields) => logger.log({ msg: message, ...fields }),
      warn: (message, fields) => logger.warn({ msg: message, ...fields }),
      error: (message, fields) => logger.error({ msg: message, ...fields }),
    },
    exit: (code) => process.exit(code),
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => onSignal(signal));
}
