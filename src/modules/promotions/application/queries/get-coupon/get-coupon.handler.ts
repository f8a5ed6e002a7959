import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CouponNotFoundError } from '../../../domain/promotions.errors.js';
import type { CouponView } from '../../coupon-view.js';
import { CouponReadModel } from '../../ports/coupon-read-model.js';
import { GetCouponQuery } from './get-coupon.query.js';

/** Disabled coupons stay readable by id (orders refer to them). */
@QueryHandler(GetCouponQuery)
export class GetCouponHandler implements IQueryHandler<GetCouponQuery> {
  constructor(private readonly readModel: CouponReadModel) {}

  async execute(query: GetCouponQuery): Promise<CouponView> {
    const coupon = await this.readModel.findById(query.couponId);
    if (coupon === undefined) throw new CouponNotFoundError();
    return coupon;
  }
}
