import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ValidationFailedError, type FieldViolation } from '../../shared/domain/domain-error.js';
import { translatePersistenceError } from '../persistence/persistence-errors.js';
import { DependencyUnavailableError } from '../resilience/dependency-unavailable.error.js';
import { RateLimitedError } from '../rate-limit/rate-limited.error.js';
import { API_PREFIX } from './envelope.hook.js';
import { errorEnvelope } from './error-body.js';

interface Answer {
  readonly status: number;
  readonly code: number;
  readonly message: string;
  readonly errors?: readonly FieldViolation[];
  readonly headers?: Readonly<Record<string, string | number>>;
}

/** Fastify's own errors (body parsing, limits, timeouts) by their `code`. */
const FASTIFY_ERRORS: Readonly<Record<string, Answer>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 41300, message: 'Request body exceeds the 1 MiB limit' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 400,
    code: 40001,
    message: 'Unsupported content type; send application/json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 40001, message: 'Content-Length does not match the body' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 40001, message: 'Empty body with a JSON content type' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 40001, message: 'Malformed JSON body' },
  FST_ERR_HANDLER_TIMEOUT: {
    status: 503,
    code: 50300,
    message: 'The request took too long; retry later',
    headers: { 'retry-after': 1 },
  },
};

/**
 * The single place where anything thrown becomes an HTTP answer in the catalog's shape (SPEC §4): domain errors
 * by their code, validation with every invalid field, transport errors from Fastify, rate limiting, unavailable
 * dependencies — and everything else as a 500 that reveals nothing but the trace id (and is logged once).
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const request = context.getRequest<FastifyRequest>();
    const reply = context.getResponse<FastifyReply>();
    if (reply.sent) return;
    if (exception instanceof HttpException && !request.url.startsWith(API_PREFIX) && exception.getStatus() !== 404) {
      // Outside /api (health probes) answers are not enveloped: terminus' own body and status go out as they are.
      void reply.status(exception.getStatus()).send(exception.getResponse());
      return;
    }
    const answer = this.answer(exception, request);
    if (answer.headers !== undefined) void reply.headers(answer.headers);
    void reply
      .status(answer.status)
      .type('application/json; charset=utf-8')
      .send(errorEnvelope(answer.code, answer.message, request.id, answer.errors));
  }

  private answer(thrown: unknown, request: FastifyRequest): Answer {
    const exception = translatePersistenceError(thrown);
    if (exception instanceof ValidationFailedError) {
      return { status: 400, code: 40000, message: 'Validation failed', errors: exception.violations };
    }
    if (exception instanceof DomainError) {
      return { status: Math.floor(exception.code / 100), code: exception.code, message: exception.message };
    }
    if (exception instanceof RateLimitedError) {
      return {
        status: 429,
        code: 42900,
        message: exception.message,
        headers: {
          'retry-after': exception.retryAfterSeconds,
          'ratelimit-limit': exception.limit,
          'ratelimit-remaining': 0,
          'ratelimit-reset': exception.retryAfterSeconds,
        },
      };
    }
    if (exception instanceof DependencyUnavailableError) {
      this.logger.warn({ msg: exception.message, traceId: request.id, err: exception.cause });
      return {
        status: 503,
        code: 50300,
        message: 'A dependency is unavailable; retry later',
        headers: { 'retry-after': 1 },
      };
    }
    const fastifyCode = (exception as { code?: unknown } | null)?.code;
    if (typeof fastifyCode === 'string' && fastifyCode in FASTIFY_ERRORS) return FASTIFY_ERRORS[fastifyCode];
    if (exception instanceof HttpException) return this.fromHttpException(exception, request);
    this.logger.error({
      msg: 'unhandled error',
      traceId: request.id,
      method: request.method,
      url: request.url,
      err: exception,
    });
    return { status: 500, code: 50000, message: 'Internal error; quote the traceId when reporting it' };
  }

  /** Nest's own exceptions: unknown routes (404), and JSON syntax errors it maps to BadRequestException. */
  private fromHttpException(exception: HttpException, request: FastifyRequest): Answer {
    const status = exception.getStatus();
    if (status === 404)
      return { status, code: 40400, message: `Route ${request.method} ${request.url.split('?')[0]} not found` };
    if (status === 400) return { status, code: 40001, message: 'Malformed request' };
    if (status === 413) return { status, code: 41300, message: 'Request body exceeds the 1 MiB limit' };
    if (status === 415) return { status: 400, code: 40001, message: 'Unsupported content type; send application/json' };
    if (status >= 500) {
      this.logger.error({ msg: 'server error', traceId: request.id, err: exception });
      return { status: 500, code: 50000, message: 'Internal error; quote the traceId when reporting it' };
    }
    return { status, code: status * 100, message: exception.message };
  }
}
