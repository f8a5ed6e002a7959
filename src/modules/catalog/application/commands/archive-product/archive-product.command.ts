import { Command } from '@nestjs/cqrs';
import type { ProductView } from '../../product-view.js';

/** DELETE /products/:id archives (products are never erased: orders refer to them). */
export class ArchiveProductCommand extends Command<ProductView> {
  constructor(
    readonly productId: string,
    readonly expectedVersions: readonly number[] | undefined,
  ) {
    super();
  }
}
