export class ShipOrderCommand {
  constructor(readonly orderId: string) {}
}
