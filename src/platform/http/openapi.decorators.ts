import { applyDecorators, HttpCode, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiExtraModels, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';

/** The operation extension that lists a route's catalog codes; openapi.ts turns it into documented responses. */
export const ERROR_CODES_EXTENSION = 'x-error-codes';

/**
 * Documents the catalog codes a route can answer besides those every route can (see `EDGE_CODES` in openapi.ts).
 * Only the numbers are recorded here: the responses (grouped by HTTP status, with each code's meaning and an example
 * envelope) are written when the document is built, from the ErrorCatalog the modules registered, and a code no
 * module registered stops the start-up.
 */
export function ApiErrors(...codes: number[]): MethodDecorator {
  return ApiExtension(
    ERROR_CODES_EXTENSION,
    [...new Set(codes)].sort((a, b) => a - b),
  );
}

/** The operation extension that carries a controller's tag description until openapi.ts declares the tag. */
export const TAG_DESCRIPTION_EXTENSION = 'x-tag-description';

/**
 * `@ApiTags(name)` with the tag's description, on a controller: each context describes its own tags, and the
 * document declares every tag once at the top (linters expect declared, described tags; nothing in the platform
 * lists them).
 */
export function ApiTag(name: string, description: string): ClassDecorator {
  return applyDecorators(ApiTags(name), ApiExtension(TAG_DESCRIPTION_EXTENSION, { [name]: description }));
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
