import { Command } from '@nestjs/cqrs';
import type { ProductView } from '../../product-view.js';

export class CreateProductCommand extends Command<ProductView> {
  constructor(
    readonly sku: string,
    readonly name: string,
    readonly description: string,
    readonly price: { readonly amount: number; readonly currency: string },
  ) {
    super();
  }
}
