import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ERROR_CATALOG } from './openapi.decorators.js';

const CATALOG_TABLE = Object.entries(ERROR_CATALOG)
  .map(([code, meaning]) => `| ${Math.floor(Number(code) / 100)} | ${code} | ${meaning} |`)
  .join('\n');

/** Swagger UI at /docs and the document at /docs-json (SPEC §4a), including the error catalog. */
export function setUpOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Orderly API')
    .setVersion('1')
    .setDescription(
      [
        'Every `/api/v1` answer is an envelope `{code, message, data, traceId}`; `code` is 0 on success.',
        'Errors carry a catalog code (HTTP status × 100 + n); validation errors add `errors: [{field, message}]`.',
        '',
        'To try it: `POST /api/v1/auth/register`, then `POST /api/v1/auth/login`, press **Authorize** and paste the',
        '`accessToken`, then call `GET /api/v1/users/me`.',
        '',
        '| HTTP | code | meaning |',
        '|---|---|---|',
        CATALOG_TABLE,
      ].join('\n'),
    )
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
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
