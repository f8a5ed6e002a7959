import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ValidationFailedError } from '../../shared/domain/domain-error.js';
import { traceIdOfRequest } from '../logging/trace-context.js';
import { translatePersistenceError } from '../persistence/persistence-errors.js';
import { RateLimitedError } from '../rate-limit/rate-limited.error.js';
import { DependencyUnavailableError } from '../resilience/dependency-unavailable.error.js';
import { API_PREFIX } from './envelope.hook.js';
import { errorEnvelope } from './error-body.js';
import type { ErrorCatalog } from './error-catalog.js';
import { answerForStatus, frameworkAnswer, type ErrorAnswer } from './framework-errors.js';

const INTERNAL: ErrorAnswer = {
  status: 500,
  code: 50000,
  message: 'Internal error; quote the traceId when reporting it',
};
/** 404 messages name the route asked for, cut short: a client must not be able to make us echo kilobytes. */
const MAX_ECHOED_PATH = 100;

/**
 * The single place where anything thrown inside Nest becomes an HTTP answer in the catalog's shape (SPEC §4):
 * domain errors by their registered code, validation with every invalid field, Fastify's failures (body parser,
 * limits, timeouts) through framework-errors.ts, rate limiting, unavailable dependencies — and everything else as a
 * 500 that reveals nothing but the trace id (and is logged once). Only codes in the ErrorCatalog are answered: a
 * DomainError whose code no module registered is a programming error, answered and logged like any other.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly catalog: ErrorCatalog) {}

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
      .send(errorEnvelope(answer.code, answer.message, traceIdOfRequest(request), answer.errors));
  }

  private answer(thrown: unknown, request: FastifyRequest): ErrorAnswer {
    const exception = translatePersistenceError(thrown);
    if (exception instanceof ValidationFailedError) {
      return { status: 400, code: 40000, message: 'Validation failed', errors: exception.violations };
    }
    if (exception instanceof DomainError) return this.fromDomainError(exception, request);
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
      this.logger.warn({ msg: exception.message, traceId: traceIdOfRequest(request), err: exception.cause });
      return {
        status: 503,
        code: 50300,
        message: 'A dependency is unavailable; retry later',
        headers: { 'retry-after': 1 },
      };
    }
    const framework = frameworkAnswer(exception);
    if (framework !== undefined) {
      if (framework.status >= 500 && framework.code === 50000) this.logUnexpected(exception, request);
      return framework;
    }
    if (exception instanceof HttpException) return this.fromHttpException(exception, request);
    this.logUnexpected(exception, request);
    return INTERNAL;
  }

  private fromDomainError(error: DomainError, request: FastifyRequest): ErrorAnswer {
    const entry = this.catalog.get(error.code);
    if (entry === undefined) {
      this.logger.error({
        msg: `${error.name} carries code ${error.code}, which no module registered in the error catalog`,
        traceId: traceIdOfRequest(request),
      });
      return INTERNAL;
    }
    // A 503 the domain chose (load shedding) tells the client when to come back, like a dependency outage.
    const headers = entry.status === 503 ? { 'retry-after': 1 } : undefined;
    return { status: entry.status, code: entry.code, message: error.message, headers };
  }

  /**
   * Nest's own exceptions: unknown routes (404), and those pipes or guards throw. Body parsing never arrives
   * here (it carries a Fastify code, see frameworkAnswer), so a BadRequestException is a rejected input: 40000,
   * not 40001 "malformed". Its message is not passed on: it may come from any library.
   */
  private fromHttpException(exception: HttpException, request: FastifyRequest): ErrorAnswer {
    const status = exception.getStatus();
    if (status === 400) {
      return {
        status,
        code: 40000,
        message: 'Validation failed',
        errors: [{ field: 'request', message: 'is invalid' }],
      };
    }
    if (status === 404 || status === 405) {
      const path = request.url.split('?')[0] ?? '';
      const shown = path.length > MAX_ECHOED_PATH ? `${path.slice(0, MAX_ECHOED_PATH)}…` : path;
      return { status: 404, code: 40400, message: `Route ${request.method} ${shown} not found` };
    }
    if (status >= 500 && status !== 503) {
      this.logUnexpected(exception, request);
      return INTERNAL;
    }
    if (status === 414 || status === 415 || status === 431) return answerForStatus(status);
    // Any other status answers the catalog's generic code for it (401 → 40100, 409 → 40900, 503 → 50300, …).
    const entry = this.catalog.get(status * 100);
    if (entry !== undefined) {
      const { headers } = answerForStatus(status);
      return { status, code: entry.code, message: entry.meaning, ...(headers === undefined ? {} : { headers }) };
    }
    // A 4xx without a catalog code of its own: a programming error to fix, not the client's fault.
    this.logger.error({ msg: `HttpException ${status} has no catalog code`, traceId: traceIdOfRequest(request) });
    return INTERNAL;
  }

  private logUnexpected(exception: unknown, request: FastifyRequest): void {
    this.logger.error({
      msg: 'unhandled error',
      traceId: traceIdOfRequest(request),
      method: request.method,
      url: request.url,
      err: exception,
    });
  }
}
