import { DuplicateError, NotFoundError } from '../../../shared/domain/domain-error.js';

export class ProductNotFoundError extends NotFoundError {
  constructor() {
    super('Product');
  }
}

/** The unique SKU index refused the write: another product (perhaps created a moment ago) has this SKU. */
export class SkuTakenError extends DuplicateError {
  constructor(sku: string) {
    super(`A product with SKU ${sku} already exists`);
  }
}
