import { ValidationFailedError } from '../../shared/domain/domain-error.js';

/** The request header that carries the key (SPEC §4); Fastify hands headers over lower-cased. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** Set on an answer that was replayed from a stored record rather than produced now. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** Visible ASCII only (0x21–0x7E): no spaces or control characters, nothing an intermediary could re-encode. */
const KEY_PATTERN = /^[\x21-\x7e]+$/;

/**
 * The key of an `@Idempotent()` request, or 400 40000 naming the header. A repeated header (an array) is refused
 * rather than guessed at: two keys for one request mean the client is confused about which attempt this is.
 */
export function parseIdempotencyKey(header: string | readonly string[] | undefined): string {
  if (header === undefined || header === '') {
    throw ValidationFailedError.forField(IDEMPOTENCY_KEY_HEADER, 'is required on this route');
  }
  if (typeof header !== 'string') {
    throw ValidationFailedError.forField(IDEMPOTENCY_KEY_HEADER, 'must be sent once');
  }
  if (header.length > MAX_IDEMPOTENCY_KEY_LENGTH || !KEY_PATTERN.test(header)) {
    throw ValidationFailedError.forField(
      IDEMPOTENCY_KEY_HEADER,
      `must be 1–${MAX_IDEMPOTENCY_KEY_LENGTH} characters of visible ASCII (no spaces)`,
    );
  }
  return header;
}
