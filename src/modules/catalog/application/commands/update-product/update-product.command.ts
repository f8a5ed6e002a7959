import { Command } from '@nestjs/cqrs';
import type { ProductStatus } from '../../../domain/product-status.js';
import type { ProductView } from '../../product-view.js';

/** PATCH /products/:id: undefined fields stay as they are; `expectedVersions` is the parsed `If-Match`. */
export class UpdateProductCommand extends Command<ProductView> {
  constructor(
    readonly productId: string,
    readonly changes: {
      readonly sku?: string;
      readonly name?: string;
      readonly description?: string;
      readonly price?: { readonly amount: number; readonly currency: string };
      readonly status?: ProductStatus;
    },
    readonly expectedVersions: readonly number[] | undefined,
  ) {
    super();
  }
}
