import type { OrderViewer } from '../viewer.js';

export class ListOrdersQuery {
  constructor(
    readonly viewer: OrderViewer,
    /** `?userId=`: admins filter by it; a customer may only name themself. */
    readonly userId: string | undefined,
    readonly limit: number,
    readonly cursor: string | undefined,
  ) {}
}
