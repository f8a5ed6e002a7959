import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import type { TransactionalCommandHandler } from '../../../../../shared/application/transactional-command-handler.js';
import { ProductNotFoundError } from '../../../domain/catalog.errors.js';
import { ProductRepository } from '../../../domain/product.repository.js';
import { toProductView, type ProductView } from '../../product-view.js';
import { ArchiveProductCommand } from './archive-product.command.js';

/** Archiving twice is not an error: DELETE is idempotent, the second answers the archived product unchanged. */
@CommandHandler(ArchiveProductCommand)
export class ArchiveProductHandler implements TransactionalCommandHandler<ArchiveProductCommand, ProductView> {
  constructor(
    private readonly products: ProductRepository,
    private readonly clock: Clock,
  ) {}

  async execute(command: ArchiveProductCommand): Promise<ProductView> {
    const product = await this.products.findById(command.productId);
    if (product === undefined) throw new ProductNotFoundError();
    product.assertVersionMatches(command.expectedVersions);
    product.archive(this.clock.now());
    await this.products.save(product);
    return toProductView(product);
  }
}
