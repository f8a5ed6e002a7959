import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { destination as pinoDestination } from 'pino';
import { AppConfig } from '../../config/app-config.js';
import { TelemetryModule } from '../telemetry/telemetry.module.js';
import { tracingEnabled } from '../telemetry/tracing.js';
import { traceIdsMixin } from './trace-context.js';

/**
 * Never logged in clear: credentials in headers, bodies and answers. Explicit paths, not `*.x` wildcards:
 * redaction runs on every log line, and wildcards make it walk every key of every object logged.
 * Request lines (request-logging.hook.ts) carry neither headers nor bodies; these guard what code logs explicitly.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'body.password',
  'body.currentPassword',
  'body.newPassword',
  'body.refreshToken',
  'data.accessToken',
  'data.refreshToken',
  'err.config',
];

/**
 * nestjs-pino is the application's logger (Nest's LoggerService and PinoLogger): JSON lines, credentials
 * redacted, human-readable output only in development on a terminal, buffered asynchronous stdout otherwise.
 *
 * Its pino-http middleware is not mounted (`forRoutes: []`): the request line and the per-request logging context
 * come from Fastify hooks instead (request-logging.hook.ts), which do the same job for a fraction of the cost —
 * the middleware path (middie + pino-http + a child logger per request) was the largest single share of an
 * authenticated read after the database was cached.
 */
/**
 * Asynchronous stdout, with the lines of one event-loop turn handed over as one string.
 *
 * sonic-boom (pino's destination) measures the byte length of the chunk it is filling on every write, a string of up
 * to 16 KiB that grows while a write is in flight: under load that cost ~1.2 µs per log line, a third of the request
 * line's cost (docs/PERFORMANCE.md). Collecting the lines of one turn and writing them once makes it once per turn.
 * Nothing is held longer than the current turn; `flushSync` (shutdown, fatal errors) and process exit write what
 * is collected first.
 */
export class TurnBatchedDestination {
  private lines: string[] = [];
  private scheduled = false;
  private readonly drain = (): void => {
    this.scheduled = false;
    if (this.lines.length === 0) return;
    const chunk = this.lines.length === 1 ? this.lines[0] : this.lines.join('');
    this.lines = [];
    this.target.write(chunk);
  };

  constructor(
    private readonly target: {
      write(chunk: string): unknown;
      flushSync(): void;
      flush?(callback: (error?: Error | null) => void): void;
    },
  ) {}

  write(line: string): boolean {
    this.lines.push(line);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.drain);
    }
    return true;
  }

  flushSync(): void {
    this.drain();
    this.target.flushSync();
  }

  /** pino's `logger.flush(cb)`: what is collected goes out now, then the stream's own asynchronous flush. */
  flush(callback: (error?: Error | null) => void): void {
    this.drain();
    if (this.target.flush === undefined) callback();
    else this.target.flush(callback);
  }
}

function stdoutDestination(): TurnBatchedDestination {
  const destination = new TurnBatchedDestination(pinoDestination({ dest: 1, sync: false }));
  process.once('exit', () => {
    try {
      destination.flushSync();
    } catch {
      // stdout already closed: nothing left to save.
    }
  });
  return destination;
}

let asyncStdout: TurnBatchedDestination | undefined;

@Module({
  imports: [
    TelemetryModule,
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const pretty = config.environment === 'development' && process.stdout.isTTY;
        const options = {
          level: config.logLevel,
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
          // Tracing on: each line carries the ids of the span active when it is written. Off: no per-line work.
          mixin: tracingEnabled() ? traceIdsMixin : undefined,
          transport: pretty
            ? { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } }
            : undefined,
        };
        return {
          forRoutes: [],
          pinoHttp: pretty ? options : [options, (asyncStdout ??= stdoutDestination())],
        };
      },
    }),
  ],
})
export class LoggingModule implements OnApplicationShutdown {
  /** Nest re-raises SIGTERM after its hooks, so there is no 'exit' event for pino to flush on: flush here. */
  onApplicationShutdown(): void {
    try {
      asyncStdout?.flushSync();
    } catch {
      // Nothing buffered, or stdout already closed: nothing left to save.
    }
  }
}
