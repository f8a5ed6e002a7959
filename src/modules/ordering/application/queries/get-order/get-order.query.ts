import type { OrderViewer } from '../viewer.js';

export class GetOrderQuery {
  constructor(
    readonly orderId: string,
    readonly viewer: OrderViewer,
  ) {}
}
