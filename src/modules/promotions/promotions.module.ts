import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config.js';
import { ErrorCatalogModule } from '../../platform/http/error-catalog.module.js';
import {
  ConfirmOrderCouponHandler,
  ReleaseOrderCouponHandler,
  ReserveOrderCouponHandler,
} from './application/event-handlers/order-coupon.handlers.js';
import { PromotionsSettings } from './application/promotions-settings.js';
import { CouponQuoter } from './application/quotes/coupon-quoter.js';
import { CouponRedemptions } from './application/redemptions/coupon-redemptions.js';
import { CouponQuotes } from './contracts/coupon-quotes.js';
import { CouponRepository, RedemptionRepository } from './domain/coupon.repository.js';
import { PROMOTIONS_ERROR_CODES } from './domain/promotions.error-codes.js';
import { CouponOrmEntity } from './infrastructure/persistence/coupon.orm-entity.js';
import { RedemptionOrmEntity } from './infrastructure/persistence/redemption.orm-entity.js';
import { TypeOrmCouponRepository } from './infrastructure/persistence/typeorm-coupon.repository.js';
import { TypeOrmRedemptionRepository } from './infrastructure/persistence/typeorm-redemption.repository.js';

/**
 * The promotions context: coupons (admin routes), the quote ordering asks at placement (`CouponQuotes`, the only
 * export — global for that token, like catalog's facade) and its part of the order saga (redemptions, through the
 * outbox). It reads nothing of ordering's but its events.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forFeature([CouponOrmEntity, RedemptionOrmEntity]),
    ErrorCatalogModule.forFeature('promotions', PROMOTIONS_ERROR_CODES),
  ],
  controllers: [],
  providers: [
    {
      provide: PromotionsSettings,
      inject: [AppConfig],
      useFactory: (config: AppConfig): PromotionsSettings => ({ currency: config.commerce.currency }),
    },
    // ports → adapters
    { provide: CouponRepository, useClass: TypeOrmCouponRepository },
    { provide: RedemptionRepository, useClass: TypeOrmRedemptionRepository },
    // the contract ordering uses
    CouponQuoter,
    { provide: CouponQuotes, useExisting: CouponQuoter },
    // the saga: reactions to ordering's events
    CouponRedemptions,
    ReserveOrderCouponHandler,
    ConfirmOrderCouponHandler,
    ReleaseOrderCouponHandler,
  ],
  exports: [CouponQuotes],
})
export class PromotionsModule {}
