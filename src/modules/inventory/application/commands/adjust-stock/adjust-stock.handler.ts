import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import type { TransactionalCommandHandler } from '../../../../../shared/application/transactional-command-handler.js';
import { NotFoundError } from '../../../../../shared/domain/domain-error.js';
import { ProductCatalog } from '../../../../catalog/contracts/product-catalog.js';
import { StockRepository } from '../../../domain/stock.repository.js';
import { toStockView, type StockView } from '../../stock-view.js';
import { AdjustStockCommand } from './adjust-stock.command.js';

/**
 * Admin adds or removes units. The stock row is locked for the transaction, so concurrent adjustments and
 * reservations apply one after the other and none is lost; a removal beyond what is available is 422 42203.
 * The product must exist in the catalog (asked in `prepare`, outside the transaction: a cached read).
 */
@CommandHandler(AdjustStockCommand)
export class AdjustStockHandler implements TransactionalCommandHandler<AdjustStockCommand, StockView> {
  constructor(
    private readonly stocks: StockRepository,
    private readonly catalog: ProductCatalog,
    private readonly clock: Clock,
  ) {}

  async prepare(command: AdjustStockCommand): Promise<undefined> {
    if ((await this.catalog.find(command.productId)) === undefined) throw new NotFoundError('Product');
    return undefined;
  }

  async execute(command: AdjustStockCommand): Promise<StockView> {
    const stock = (await this.stocks.lockStocks([command.productId])).get(command.productId);
    if (stock === undefined) throw new Error('lockStocks returned no stock for the product it was asked for');
    stock.adjust(command.delta, command.reason, this.clock.now());
    await this.stocks.saveStock(stock);
    return toStockView(stock);
  }
}
