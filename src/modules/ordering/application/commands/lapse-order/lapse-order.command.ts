/** The timer found the order's deadline passed (confirmation or payment). */
export class LapseOrderCommand {
  constructor(readonly orderId: string) {}
}
