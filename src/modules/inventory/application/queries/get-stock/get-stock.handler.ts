import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '../../../../../shared/domain/domain-error.js';
import { ProductCatalog } from '../../../../catalog/contracts/product-catalog.js';
import { StockRepository } from '../../../domain/stock.repository.js';
import { toStockView, type StockView } from '../../stock-view.js';
import { GetStockQuery } from './get-stock.query.js';

/**
 * Stock of a product. Inventory does not wait to hear about new products: the catalog facade says whether the
 * product exists (404 otherwise), and a product without a stock row has zero stock — so a product reads
 * `{onHand: 0, reserved: 0, available: 0}` the moment `POST /products` has answered, with no event in between.
 */
@QueryHandler(GetStockQuery)
export class GetStockHandler implements IQueryHandler<GetStockQuery> {
  constructor(
    private readonly stocks: StockRepository,
    private readonly catalog: ProductCatalog,
  ) {}

  async execute(query: GetStockQuery): Promise<StockView> {
    const [product, stock] = await Promise.all([this.catalog.find(query.productId), this.stocks.find(query.productId)]);
    if (product === undefined) throw new NotFoundError('Product');
    return toStockView(stock);
  }
}
