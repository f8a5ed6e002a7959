export interface RequestedLine {
  readonly productId: string;
  readonly quantity: number;
}

export class PlaceOrderCommand {
  constructor(
    readonly userId: string,
    readonly lines: readonly RequestedLine[],
  ) {}
}
