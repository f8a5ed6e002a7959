import { applyDecorators, HttpCode, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';

/** What each catalog code means, for the generated documentation (SPEC §4). */
export const ERROR_CATALOG: Readonly<Record<number, string>> = {
  40000: 'Validation failed; `errors` lists every invalid field (unknown properties and query parameters too)',
  40001: 'Malformed request: bad JSON or a non-JSON content type',
  40100: 'Unauthenticated: missing, invalid or revoked credentials',
  40101: 'Token expired',
  40102: 'Refresh token re-used; its whole family was revoked',
  40300: 'Forbidden: your roles do not allow this',
  40400: 'Not found (also for resources you may not see)',
  40900: 'Duplicate: a unique value is already taken',
  40901: 'Concurrent update: reload and retry',
  41300: 'Payload too large (over 1 MiB)',
  42210: 'An admin cannot lock themselves out',
  42211: 'The account has been deleted and cannot be changed',
  42900: 'Rate limited: see Retry-After and RateLimit-* headers',
  50000: 'Internal error; the traceId finds it in the logs',
  50300: 'A dependency is unavailable or the request timed out; see Retry-After',
};

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  422: 'Business rule violated',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

/** Every route can answer these, whatever it does. */
const ALWAYS = [40001, 41300, 42900, 50000, 50300];

/** Documents the catalog codes a route can answer, grouped by HTTP status, in the shared error envelope shape. */
export function ApiErrors(...codes: number[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, number[]>();
  for (const code of [...new Set([40000, ...codes, ...ALWAYS])]) {
    const status = Math.floor(code / 100);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ...[...byStatus.entries()].map(([status, statusCodes]) =>
      ApiResponse({
        status,
        description: `${STATUS_TEXT[status] ?? ''}: ${statusCodes.map((code) => `${code} ${ERROR_CATALOG[code] ?? ''}`).join('; ')}`,
        // allOf: siblings of a bare $ref are ignored in OpenAPI 3.0, and the example should name this status' code.
        schema: {
          allOf: [{ $ref: '#/components/schemas/ErrorEnvelope' }],
          example: {
            code: statusCodes[0],
            message: ERROR_CATALOG[statusCodes[0] ?? 0] ?? '',
            data: null,
            traceId: '0af7651916cd43dd8448eb211c80319c',
            ...(status === 400 && statusCodes.includes(40000)
              ? { errors: [{ field: 'email', message: 'must be a valid email address' }] }
              : {}),
          },
        },
      }),
    ),
  );
}

/** A success answer in the envelope, with `data` typed as `model` (or a page of `model`). */
export function ApiEnveloped(
  status: 200 | 201,
  model: Type<unknown>,
  options: { page?: boolean } = {},
): MethodDecorator {
  const data = options.page
    ? {
        type: 'object',
        required: ['items', 'nextCursor'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(model) } },
          nextCursor: { type: 'string', nullable: true, description: 'Opaque; null on the last page' },
        },
      }
    : { $ref: getSchemaPath(model) };
  return applyDecorators(
    HttpCode(status),
    ApiExtraModels(model),
    ApiResponse({
      status,
      description: status === 201 ? 'Created' : 'OK',
      schema: {
        type: 'object',
        required: ['code', 'message', 'data', 'traceId'],
        properties: {
          code: { type: 'integer', example: 0 },
          message: { type: 'string', example: 'OK' },
          data,
          traceId: { type: 'string' },
        },
      },
    }),
  );
}

/** 204: no body at all. */
export function ApiNoContent(): MethodDecorator {
  return applyDecorators(HttpCode(204), ApiResponse({ status: 204, description: 'No content' }));
}

/** Route needs a bearer token (the global guard enforces it; this documents it). */
export const ApiAuthenticated = (): MethodDecorator & ClassDecorator => ApiBearerAuth('bearer');
