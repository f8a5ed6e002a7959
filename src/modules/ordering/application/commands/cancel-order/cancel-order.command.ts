export class CancelOrderCommand {
  constructor(
    readonly orderId: string,
    /** Who asks: the owner, or an admin (who may cancel anyone's order). */
    readonly actor: { readonly id: string; readonly isAdmin: boolean },
  ) {}
}
