import { Query } from '@nestjs/cqrs';
import type { Page } from '../../../../../shared/application/cursor.js';
import type { CouponView } from '../../coupon-view.js';
import type { CouponListFilter } from '../../ports/coupon-read-model.js';

export class ListCouponsQuery extends Query<Page<CouponView>> {
  constructor(readonly filter: CouponListFilter) {
    super();
  }
}
