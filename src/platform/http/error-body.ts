import type { FieldViolation } from '../../shared/domain/domain-error.js';

/** The envelope of every /api/v1 answer (SPEC §4): `code` 0 on success, a catalog code otherwise. */
export interface Envelope<T> {
  readonly code: number;
  readonly message: string;
  readonly data: T;
  readonly traceId: string;
  readonly errors?: readonly FieldViolation[];
}

export function errorEnvelope(
  code: number,
  message: string,
  traceId: string,
  errors?: readonly FieldViolation[],
): Envelope<null> {
  return errors === undefined ? { code, message, data: null, traceId } : { code, message, data: null, traceId, errors };
}
