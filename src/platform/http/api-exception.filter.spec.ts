import {
  BadRequestException,
  ConflictException,
  HttpException,
  ImATeapotException,
  Logger,
  type ArgumentsHost,
} from '@nestjs/common';
import { BusinessRuleViolation, NotFoundError } from '../../shared/domain/domain-error.js';
import { ApiExceptionFilter } from './api-exception.filter.js';
import { ErrorCatalog } from './error-catalog.js';

class ParcelTooHeavyError extends BusinessRuleViolation {
  readonly code = 42260;

  constructor() {
    super('The parcel is too heavy');
  }
}

class UndeclaredRuleError extends BusinessRuleViolation {
  readonly code = 42299;

  constructor() {
    super('internal detail that must not leak');
  }
}

interface Sent {
  status?: number;
  headers: Record<string, unknown>;
  body?: { code: number; message: string; data: null; traceId: string; errors?: unknown };
}

/** Runs the filter on one thrown value for a request under /api and returns what it sent. */
function answer(thrown: unknown, catalog = new ErrorCatalog()): Sent {
  const sent: Sent = { headers: {} };
  const reply = {
    sent: false,
    status(code: number) {
      sent.status = code;
      return reply;
    },
    headers(values: Record<string, unknown>) {
      Object.assign(sent.headers, values);
      return reply;
    },
    type() {
      return reply;
    },
    send(body: Sent['body']) {
      sent.body = body;
      return reply;
    },
  };
  const request = { url: '/api/v1/parcels/1', method: 'POST', id: 'trace-0001' };
  const host = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
  } as unknown as ArgumentsHost;
  new ApiExceptionFilter(catalog).catch(thrown, host);
  return sent;
}

/** Fastify's errors as Nest's adapter hands them over: an HttpException whose cause carries the FST code. */
function wrappedFastifyError(code: string, statusCode: number): HttpException {
  const cause = Object.assign(new Error('framework detail'), { name: 'FastifyError', code, statusCode });
  return new HttpException('framework detail', statusCode, { cause });
}

describe('ApiExceptionFilter', () => {
  // The filter logs programming errors; the assertions are about what the client gets.
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose', 'fatal']));

  it('answers only body parsing as 40001 "malformed"', () => {
    expect(answer(wrappedFastifyError('FST_ERR_CTP_INVALID_JSON_BODY', 400)).body?.code).toBe(40001);
    expect(answer(wrappedFastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415))).toMatchObject({
      status: 400,
      body: { code: 40001 },
    });
  });

  it('answers any other BadRequestException as 400 40000, without passing its message on', () => {
    const sent = answer(new BadRequestException('Validation failed (numeric string is expected) at db.users'));
    expect(sent.status).toBe(400);
    expect(sent.body).toMatchObject({ code: 40000, data: null, traceId: 'trace-0001' });
    expect(JSON.stringify(sent.body)).not.toContain('db.users');
  });

  it('answers a context’s registered code with the status it encodes', () => {
    const catalog = new ErrorCatalog();
    catalog.register('shipping', { 42260: 'The parcel is too heavy' });
    expect(answer(new ParcelTooHeavyError(), catalog)).toMatchObject({
      status: 422,
      body: { code: 42260, message: 'The parcel is too heavy' },
    });
  });

  it('answers a code no module registered as a 500 that reveals nothing', () => {
    const sent = answer(new UndeclaredRuleError());
    expect(sent).toMatchObject({ status: 500, body: { code: 50000 } });
    expect(JSON.stringify(sent.body)).not.toContain('internal detail');
  });

  it('answers the platform’s shared errors from the platform’s codes', () => {
    expect(answer(new NotFoundError('Parcel'))).toMatchObject({ status: 404, body: { code: 40400 } });
    expect(answer(new ConflictException('dup'))).toMatchObject({ status: 409, body: { code: 40900 } });
  });

  it('never answers a framework code, and maps an unknown framework failure by its status', () => {
    const sent = answer(wrappedFastifyError('FST_ERR_SOMETHING_NEW', 400));
    expect(sent).toMatchObject({ status: 400, body: { code: 40001 } });
    expect(JSON.stringify(sent.body)).not.toMatch(/FST_|framework detail/);
    const timeout = Object.assign(new Error('timeout'), { code: 'FST_ERR_HANDLER_TIMEOUT', statusCode: 503 });
    expect(answer(timeout)).toMatchObject({ status: 503, body: { code: 50300 }, headers: { 'retry-after': 1 } });
  });

  it('treats an HttpException status without a catalog code as a programming error (500)', () => {
    expect(answer(new ImATeapotException())).toMatchObject({ status: 500, body: { code: 50000 } });
  });
});
