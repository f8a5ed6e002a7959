import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import type { TransactionalCommandHandler } from '../../../../../shared/application/transactional-command-handler.js';
import { collectViolations } from '../../../../../shared/domain/domain-error.js';
import { ProductNotFoundError } from '../../../domain/catalog.errors.js';
import { checkPrice } from '../../../domain/price.js';
import { checkProductDescription, checkProductName } from '../../../domain/product-details.js';
import { ProductRepository } from '../../../domain/product.repository.js';
import { Sku } from '../../../domain/sku.value-object.js';
import { CatalogSettings } from '../../catalog-settings.js';
import { toProductView, type ProductView } from '../../product-view.js';
import { UpdateProductCommand } from './update-product.command.js';

/**
 * Admin changes a product. Values are checked before anything is loaded (a bad price is 400 whatever the id);
 * `If-Match` is compared with the version just loaded, and the save's optimistic lock covers the moment between
 * load and write, so a stale writer gets 412 (its precondition) or 409 40901 (lost a race it could not see).
 */
@CommandHandler(UpdateProductCommand)
export class UpdateProductHandler implements TransactionalCommandHandler<UpdateProductCommand, ProductView> {
  constructor(
    private readonly products: ProductRepository,
    private readonly settings: CatalogSettings,
    private readonly clock: Clock,
  ) {}

  async execute(command: UpdateProductCommand): Promise<ProductView> {
    const { changes } = command;
    const [sku, name, description, price] = collectViolations(
      () => (changes.sku === undefined ? undefined : Sku.create(changes.sku)),
      () => (changes.name === undefined ? undefined : checkProductName(changes.name)),
      () => (changes.description === undefined ? undefined : checkProductDescription(changes.description)),
      () =>
        changes.price === undefined
          ? undefined
          : checkPrice(changes.price.amount, changes.price.currency, this.settings.currency),
    );
    const product = await this.products.findById(command.productId);
    if (product === undefined) throw new ProductNotFoundError();
    product.assertVersionMatches(command.expectedVersions);
    product.revise({ sku, name, description, price, status: changes.status }, this.clock.now());
    await this.products.save(product);
    return toProductView(product);
  }
}
