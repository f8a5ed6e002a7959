import { DataSource } from 'typeorm';
import { loadConfig } from '../../../../config/load-config.js';
import { BeforeCommit } from '../../../../platform/persistence/before-commit.js';
import { buildDataSourceOptions } from '../../../../platform/persistence/data-source-options.js';
import { TransactionContext } from '../../../../platform/persistence/transaction-context.js';
import { OrderLineOrmEntity } from '../persistence/order-line.orm-entity.js';
import { OrderOrmEntity } from '../persistence/order.orm-entity.js';
import { OrderSummaryProjection } from './order-summary.projection.js';
import { TypeOrmOrderSummaryRebuild } from './order-summary.rebuild.js';
import { OrderSummaryOrmEntity } from './order-summary.orm-entity.js';

/**
 * `npm run read-model:rebuild` — rebuilds `order_summaries` from the orders table against the configured database
 * (DATABASE_URL, or the embedded file). Without Nest, like the migration CLI: nothing else starts, so it can run as
 * a one-off Job beside running replicas (the rebuild never overwrites a newer summary). On the embedded profile
 * stop the service first: the SQLite file has one writer.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const dataSource = new DataSource(
    buildDataSourceOptions(config.database, [OrderOrmEntity, OrderLineOrmEntity, OrderSummaryOrmEntity]),
  );
  await dataSource.initialize();
  try {
    const projection = new OrderSummaryProjection(new BeforeCommit(), new TransactionContext(dataSource));
    const written = await new TypeOrmOrderSummaryRebuild(dataSource, projection).rebuild();
    console.log(`order_summaries rebuilt from ${written} orders.`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
