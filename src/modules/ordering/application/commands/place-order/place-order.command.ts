export interface RequestedLine {
  readonly productId: string;
  readonly quantity: number;
}

export class PlaceOrderCommand {
  constructor(
    readonly userId: string,
    readonly lines: readonly RequestedLine[],
    /** As the customer typed it; promotions normalises it. */
    readonly couponCode?: string,
  ) {}
}
