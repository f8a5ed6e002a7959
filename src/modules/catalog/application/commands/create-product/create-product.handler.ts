import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import { IdGenerator } from '../../../../../shared/application/id-generator.js';
import type { TransactionalCommandHandler } from '../../../../../shared/application/transactional-command-handler.js';
import { collectViolations } from '../../../../../shared/domain/domain-error.js';
import { checkPrice } from '../../../domain/price.js';
import { checkProductDescription, checkProductName } from '../../../domain/product-details.js';
import { Product } from '../../../domain/product.aggregate.js';
import { ProductRepository } from '../../../domain/product.repository.js';
import { Sku } from '../../../domain/sku.value-object.js';
import { CatalogSettings } from '../../catalog-settings.js';
import { toProductView, type ProductView } from '../../product-view.js';
import { CreateProductCommand } from './create-product.command.js';

/** Admin adds a product. A taken SKU is 409 40900 — decided by the unique index, so concurrent creations agree. */
@CommandHandler(CreateProductCommand)
export class CreateProductHandler implements TransactionalCommandHandler<CreateProductCommand, ProductView> {
  constructor(
    private readonly products: ProductRepository,
    private readonly settings: CatalogSettings,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(command: CreateProductCommand): Promise<ProductView> {
    const [sku, name, description, price] = collectViolations(
      () => Sku.create(command.sku),
      () => checkProductName(command.name),
      () => checkProductDescription(command.description),
      () => checkPrice(command.price.amount, command.price.currency, this.settings.currency),
    );
    const product = Product.create({ id: this.ids.next(), sku, name, description, price, now: this.clock.now() });
    await this.products.save(product);
    return toProductView(product);
  }
}
