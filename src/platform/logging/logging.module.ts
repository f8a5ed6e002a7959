import { Module, RequestMethod } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { destination } from 'pino';
import { AppConfig } from '../../config/app-config.js';

/**
 * Never logged in clear: credentials in headers, bodies and answers. Explicit paths, not `*.x` wildcards:
 * redaction runs on every log line, and wildcards make it walk every key of every object logged.
 * The request serializers below log neither headers nor bodies, so these guard what code logs explicitly.
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
 * nestjs-pino as the application logger and request logger: JSON lines with the request id (which is also the
 * envelope's traceId), credentials redacted, human-readable output only in development. Serializers are slim on
 * purpose: the default ones copy every header of every request, a large share of the per-request cost.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const pretty = config.environment === 'development' && process.stdout.isTTY;
        const options = {
          level: config.logLevel,
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
          // Fastify assigns the id (request-id.ts); pino-http must reuse it, not invent another.
          genReqId: (request: IncomingMessage) => (request as IncomingMessage & { id?: string }).id ?? '',
          customAttributeKeys: { reqId: 'traceId' },
          serializers: {
            req: (request: IncomingMessage & { id?: string }) => ({
              id: request.id,
              method: request.method,
              url: request.url,
            }),
            res: (response: ServerResponse) => ({ statusCode: response.statusCode }),
          },
          customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
            error !== undefined || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
          autoLogging: { ignore: (request: IncomingMessage) => request.url?.startsWith('/health') === true },
          transport: pretty
            ? { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' } }
            : undefined,
        };
        return {
          forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
          // Buffered, asynchronous stdout: one write(2) per ~4 KiB of log instead of one per line. pino flushes it
          // on exit (also on the fatal-error path, which exits through process.exit).
          pinoHttp: pretty ? options : [options, destination({ dest: 1, sync: false, minLength: 4096 })],
        };
      },
    }),
  ],
})
export class LoggingModule {}
