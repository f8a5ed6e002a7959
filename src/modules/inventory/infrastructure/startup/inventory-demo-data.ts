import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../../config/app-config.js';
import { ReadinessState } from '../../../../platform/health/readiness-state.js';
import { ProductCatalog } from '../../../catalog/contracts/product-catalog.js';
import { AdjustStockCommand } from '../../application/commands/adjust-stock/adjust-stock.command.js';
import { StockOrmEntity } from '../persistence/stock.orm-entity.js';

const TASK = 'inventory-demo-data';

/** Opening stock of the demo shop, by SKU (catalog's demo products); the last one starts sold out. */
const DEMO_STOCK: readonly { sku: string; units: number }[] = [
  { sku: 'MUG-001', units: 120 },
  { sku: 'TEE-BLK-M', units: 40 },
  { sku: 'NOTE-A5', units: 75 },
  { sku: 'BOTTLE-750', units: 30 },
  { sku: 'STICKER-SET', units: 500 },
  { sku: 'HOODIE-GRY-L', units: 0 },
];

/**
 * With DEMO_DATA on an empty inventory, stocks the demo products (catalog, a global module, has created them in
 * its own bootstrap hook, which Nest runs first). SKUs missing from the catalog are skipped.
 */
@Injectable()
export class InventoryDemoData implements OnApplicationBootstrap {
  private readonly logger = new Logger('Inventory');

  constructor(
    private readonly commands: CommandBus,
    private readonly catalog: ProductCatalog,
    private readonly config: AppConfig,
    private readonly readiness: ReadinessState,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.demoData) await this.readiness.during(TASK, () => this.seed());
  }

  private async seed(): Promise<void> {
    if ((await this.dataSource.getRepository(StockOrmEntity).count()) > 0) return;
    let stocked = 0;
    for (const { sku, units } of DEMO_STOCK) {
      const product = await this.catalog.findBySku(sku);
      if (product === undefined || units === 0) continue;
      await this.commands.execute(new AdjustStockCommand(product.id, units, 'demo data: opening stock'));
      stocked += 1;
    }
    if (stocked > 0) this.logger.log(`demo stock recorded for ${stocked} products`);
  }
}
