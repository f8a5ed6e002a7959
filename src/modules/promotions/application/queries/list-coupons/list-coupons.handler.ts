import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Page } from '../../../../../shared/application/cursor.js';
import type { CouponView } from '../../coupon-view.js';
import { CouponReadModel } from '../../ports/coupon-read-model.js';
import { ListCouponsQuery } from './list-coupons.query.js';

/** Every coupon, disabled ones too, newest first (admins only: the route says so). */
@QueryHandler(ListCouponsQuery)
export class ListCouponsHandler implements IQueryHandler<ListCouponsQuery> {
  constructor(private readonly readModel: CouponReadModel) {}

  execute(query: ListCouponsQuery): Promise<Page<CouponView>> {
    return this.readModel.list(query.filter);
  }
}
