/** Inventory's answer to an order's reservation, as the saga hands it over. */
export class RecordStockOutcomeCommand {
  constructor(
    readonly orderId: string,
    readonly outcome: 'reserved' | 'out_of_stock',
  ) {}
}
