import type { Stock } from '../domain/stock.aggregate.js';

/** A product's stock as the API shows it. `version` is 0 for a product that was never stocked. */
export interface StockView {
  readonly productId: string;
  readonly onHand: number;
  readonly reserved: number;
  readonly available: number;
  readonly version: number;
}

export function toStockView(stock: Stock): StockView {
  return { productId: stock.productId, ...stock.view() };
}
