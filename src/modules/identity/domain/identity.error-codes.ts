/**
 * The catalog codes identity owns (its 422 range starts at 42210), in the client's words. identity.module.ts
 * registers them with the platform's error catalog, which documents them in OpenAPI and lets the exception filter
 * answer them. Codes the platform already defines (40100, 40400, 40900, …) are not repeated here.
 */
export const IDENTITY_ERROR_CODES = {
  42210: 'An admin cannot lock themselves out (own admin role, status or deletion)',
  42211: 'The account has been deleted and cannot be changed',
} as const;
