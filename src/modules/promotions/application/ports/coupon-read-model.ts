import type { Page } from '../../../../shared/application/cursor.js';
import type { CouponView } from '../coupon-view.js';

export interface CouponListFilter {
  readonly limit: number;
  /** Opaque, from the previous page's `nextCursor`; one that does not decode is a 400 on `cursor`. */
  readonly cursor?: string;
}

/** Port: coupon reads for the admin queries (views, no aggregates). */
export abstract class CouponReadModel {
  abstract findById(id: string): Promise<CouponView | undefined>;
  /** Newest first: keyset on (createdAt, id), both descending. */
  abstract list(filter: CouponListFilter): Promise<Page<CouponView>>;
}
