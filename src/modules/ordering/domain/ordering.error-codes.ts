/**
 * The catalog codes ordering owns, in the client's words; ordering.module.ts registers them with the platform's
 * error catalog (OpenAPI and the exception filter).
 */
export const ORDERING_ERROR_CODES = {
  42204: 'Invalid state transition: the order’s status does not allow this action',
} as const;
