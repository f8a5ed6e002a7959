import { Query } from '@nestjs/cqrs';
import type { StockView } from '../../stock-view.js';

export class GetStockQuery extends Query<StockView> {
  constructor(readonly productId: string) {
    super();
  }
}
