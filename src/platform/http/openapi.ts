import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { ErrorCatalog } from './error-catalog.js';
import { ERROR_CODES_EXTENSION, TAG_DESCRIPTION_EXTENSION } from './openapi.decorators.js';

/**
 * Codes every operation can answer whatever it does, because the edge produces them before or around the handler
 * (SPEC §4a "The edge"): 40000 (invalid input, also an over-long path parameter), 40001 (malformed body, wrong
 * content type, a URL that does not decode), 41300 (body over 1 MiB), 42900 (rate limit), 50000, 50300 (a
 * dependency, the request deadline). Framework statuses without a catalog code are mapped onto these
 * (framework-errors.ts), so no operation answers a status its documentation does not list.
 */
export const EDGE_CODES: readonly number[] = [40000, 40001, 41300, 42900, 50000, 50300];

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  422: 'Business rule violated',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  tags?: string[];
  responses: Record<string, unknown>;
  [ERROR_CODES_EXTENSION]?: number[];
  [TAG_DESCRIPTION_EXTENSION]?: Record<string, string>;
}

function describe(catalog: ErrorCatalog): string {
  const table = catalog
    .entries()
    .map((entry) => `| ${entry.status} | ${entry.code} | ${entry.meaning} |`)
    .join('\n');
  return [
    'Every `/api/v1` answer is an envelope `{code, message, data, traceId}`; `code` is 0 on success.',
    'Errors carry a catalog code (HTTP status × 100 + n); validation errors add `errors: [{field, message}]`.',
    'Whatever produces an error — router, body parser, URL decoding, parameter length, deadline — the answer is',
    'this envelope with a catalog code: a URL that does not percent-decode is 400 40001, a path parameter over 100',
    'characters 400 40000, an unknown route or method 404 40400. `traceId` equals the `X-Request-Id` header.',
    '',
    'Browsers: origins listed in `CORS_ORIGINS` may call every route with `Authorization`, `Content-Type`,',
    '`Idempotency-Key`, `If-Match` and `X-Request-Id`, and read `ETag`, `Retry-After`, `RateLimit-*` and',
    '`X-Request-Id`.',
    '',
    'To try it: `POST /api/v1/auth/register`, then `POST /api/v1/auth/login`, press **Authorize** and paste the',
    '`accessToken`, then call `GET /api/v1/users/me`.',
    '',
    '| HTTP | code | meaning |',
    '|---|---|---|',
    table,
  ].join('\n');
}

/** Every operation of the document, with its path and method. */
function operations(document: OpenAPIObject): { path: string; method: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.flatMap((method) => {
      const operation = (item as Record<string, Operation | undefined>)[method];
      return operation === undefined ? [] : [{ path, method, operation }];
    }),
  );
}

/**
 * The error responses of each operation, from the codes its `@ApiErrors()` recorded plus the edge's, grouped by
 * status, each with the catalog's meaning and an example envelope. The full list stays in `x-error-codes`, so a
 * client (and the generated-input test) can check an answer's code against the operation's.
 */
function documentErrors(document: OpenAPIObject, catalog: ErrorCatalog): void {
  for (const { path, method, operation } of operations(document)) {
    const codes = [...new Set([...(operation[ERROR_CODES_EXTENSION] ?? []), ...EDGE_CODES])].sort((a, b) => a - b);
    const byStatus = new Map<number, number[]>();
    for (const code of codes) {
      const entry = catalog.get(code);
      if (entry === undefined) {
        throw new Error(`${method.toUpperCase()} ${path} documents error code ${code}, which no module registered`);
      }
      byStatus.set(entry.status, [...(byStatus.get(entry.status) ?? []), code]);
    }
    operation[ERROR_CODES_EXTENSION] = codes;
    for (const [status, statusCodes] of byStatus) {
      const first = catalog.get(statusCodes[0] ?? 0);
      operation.responses[String(status)] = {
        description: `${STATUS_TEXT[status] ?? 'Error'}: ${statusCodes
          .map((code) => `${code} ${catalog.get(code)?.meaning ?? ''}`)
          .join('; ')}`,
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/ErrorEnvelope' },
            // Beside the schema, not in it (siblings of a $ref are ignored): the example names this status' code.
            example: {
              code: first?.code,
              message: first?.meaning,
              data: null,
              traceId: '0af7651916cd43dd8448eb211c80319c',
              ...(status === 400 && statusCodes.includes(40000)
                ? { errors: [{ field: 'email', message: 'must be a valid email address' }] }
                : {}),
            },
          },
        },
      };
    }
  }
}

/**
 * `@Public()` records an anonymous requirement (`[{}]`) because Swagger's decorators cannot write an empty list;
 * the convention linters expect for a public operation is the explicit `security: []`.
 */
function normalizePublicSecurity(document: OpenAPIObject): void {
  for (const { operation } of operations(document)) {
    if (operation.security?.some((requirement) => Object.keys(requirement).length === 0)) operation.security = [];
  }
}

/**
 * Every tag the operations use, declared once at the top with the description its controller gave (`@ApiTag`);
 * each context names and describes its own, none is listed here.
 */
function declareTags(document: OpenAPIObject): void {
  const descriptions = new Map<string, string>();
  for (const { operation } of operations(document)) {
    for (const [name, description] of Object.entries(operation[TAG_DESCRIPTION_EXTENSION] ?? {})) {
      descriptions.set(name, description);
    }
    delete operation[TAG_DESCRIPTION_EXTENSION];
  }
  const used = [...new Set(operations(document).flatMap(({ operation }) => operation.tags ?? []))].sort();
  document.tags = used.map((name) => {
    const description = descriptions.get(name);
    return description === undefined ? { name } : { name, description };
  });
}

/** The OpenAPI document the app serves at /docs-json: built once at start, from the routes and the catalog. */
export function createOpenApiDocument(app: NestFastifyApplication, catalog: ErrorCatalog): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Orderly API')
    .setVersion('1')
    .setDescription(describe(catalog))
    // Relative: the document describes whichever host serves it (Swagger UI calls the origin it was loaded from).
    .addServer('/', 'The server this document was loaded from')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.ErrorEnvelope = {
    type: 'object',
    required: ['code', 'message', 'data', 'traceId'],
    properties: {
      code: { type: 'integer', example: 40000, description: 'Catalog code, see the table above' },
      message: { type: 'string' },
      data: { type: 'object', nullable: true, example: null },
      traceId: { type: 'string', description: 'Also in the X-Request-Id header and in the logs' },
      errors: {
        type: 'array',
        items: {
          type: 'object',
          required: ['field', 'message'],
          properties: { field: { type: 'string', example: 'lines[0].quantity' }, message: { type: 'string' } },
        },
      },
    },
  };
  documentErrors(document, catalog);
  normalizePublicSecurity(document);
  declareTags(document);
  return document;
}

/** Swagger UI at /docs and the document at /docs-json (SPEC §4a), including the error catalog. */
export function setUpOpenApi(app: NestFastifyApplication, catalog: ErrorCatalog): void {
  SwaggerModule.setup('docs', app, createOpenApiDocument(app, catalog), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
