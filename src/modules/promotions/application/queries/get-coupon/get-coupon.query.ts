import { Query } from '@nestjs/cqrs';
import type { CouponView } from '../../coupon-view.js';

export class GetCouponQuery extends Query<CouponView> {
  constructor(readonly couponId: string) {
    super();
  }
}
