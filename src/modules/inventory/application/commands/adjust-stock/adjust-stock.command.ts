import { Command } from '@nestjs/cqrs';
import type { StockView } from '../../stock-view.js';

export class AdjustStockCommand extends Command<StockView> {
  constructor(
    readonly productId: string,
    readonly delta: number,
    readonly reason: string,
  ) {
    super();
  }
}
