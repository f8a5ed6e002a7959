import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ApiErrors } from '../http/openapi.decorators.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { IDEMPOTENCY_KEY_HEADER, MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotency-key.js';

/**
 * Makes a POST idempotent by `Idempotency-Key` (SPEC §4): the first successful answer is stored for 24 h and
 * replayed for the same key and request; the same key with another request answers 409 40902; a missing or
 * malformed key 400 40000. Results are stored only for successful responses: after an error the client may retry
 * with the same key. See IdempotencyInterceptor for how it stays atomic with the route's own changes.
 *
 * Needs IdempotencyModule in the application.
 */
export function Idempotent(): MethodDecorator {
  return applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: IDEMPOTENCY_KEY_HEADER,
      required: true,
      description:
        'A client-chosen key (e.g. a UUID), new for each distinct request: a retry with the same key and body ' +
        'replays the first successful answer for 24 h (with `Idempotent-Replayed: true`) instead of repeating ' +
        'the operation; the same key with another body → 409 40902. Only successful answers are stored.',
      schema: { type: 'string', minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH, pattern: '^[\\x21-\\x7E]+$' },
    }),
    ApiErrors(40000, 40902),
  );
}
