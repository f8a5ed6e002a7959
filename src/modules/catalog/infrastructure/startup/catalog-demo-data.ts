import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../../config/app-config.js';
import { ReadinessState } from '../../../../platform/health/readiness-state.js';
import { CreateProductCommand } from '../../application/commands/create-product/create-product.command.js';
import { ProductOrmEntity } from '../persistence/product.orm-entity.js';

const TASK = 'catalog-demo-data';

/** The demo shop of the embedded first run (DEMO_DATA). Inventory stocks them by SKU (see its demo data). */
export const DEMO_PRODUCTS = [
  { sku: 'MUG-001', name: 'Enamel mug', description: 'A sturdy enamel mug, 350 ml.', amount: 1290 },
  { sku: 'TEE-BLK-M', name: 'T-shirt, black, M', description: 'Organic cotton, regular fit.', amount: 2490 },
  { sku: 'NOTE-A5', name: 'Dotted notebook A5', description: '192 pages, lay-flat binding.', amount: 1590 },
  { sku: 'BOTTLE-750', name: 'Steel bottle 750 ml', description: 'Keeps drinks cold for 24 hours.', amount: 2990 },
  { sku: 'STICKER-SET', name: 'Sticker set', description: 'Ten weatherproof vinyl stickers.', amount: 490 },
  { sku: 'HOODIE-GRY-L', name: 'Hoodie, grey, L', description: 'Brushed fleece, kangaroo pocket.', amount: 5490 },
] as const;

/** On an empty catalog with DEMO_DATA (default in the embedded profile), creates the demo products. */
@Injectable()
export class CatalogDemoData implements OnApplicationBootstrap {
  private readonly logger = new Logger('Catalog');

  constructor(
    private readonly commands: CommandBus,
    private readonly config: AppConfig,
    private readonly readiness: ReadinessState,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.demoData) await this.readiness.during(TASK, () => this.seed());
  }

  private async seed(): Promise<void> {
    if ((await this.dataSource.getRepository(ProductOrmEntity).count()) > 0) return;
    for (const product of DEMO_PRODUCTS) {
      await this.commands.execute(
        new CreateProductCommand(product.sku, product.name, product.description, {
          amount: product.amount,
          currency: this.config.commerce.currency,
        }),
      );
    }
    this.logger.log(`demo catalog created (${DEMO_PRODUCTS.length} products)`);
  }
}
