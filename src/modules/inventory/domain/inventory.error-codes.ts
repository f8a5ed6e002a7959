/**
 * The catalog codes inventory owns, in the client's words. inventory.module.ts registers them with the platform's
 * error catalog (OpenAPI and the exception filter). Codes the platform defines (40400, …) are not repeated.
 */
export const INVENTORY_ERROR_CODES = {
  42203: 'Out of stock: the change would leave fewer units on hand than are reserved (or below zero)',
} as const;
