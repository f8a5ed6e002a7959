import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config.js';
import { ErrorCatalogModule } from '../../platform/http/error-catalog.module.js';
import {
  ConfirmOrderCouponHandler,
  ReleaseOrderCouponHandler,
  ReserveOrderCouponHandler,
} from './application/event-handlers/order-coupon.handlers.js';
import { CreateCouponHandler } from './application/commands/create-coupon/create-coupon.handler.js';
import { DisableCouponHandler } from './application/commands/disable-coupon/disable-coupon.handler.js';
import { UpdateCouponHandler } from './application/commands/update-coupon/update-coupon.handler.js';
import { CouponReadModel } from './application/ports/coupon-read-model.js';
import { PromotionsSettings } from './application/promotions-settings.js';
import { GetCouponHandler } from './application/queries/get-coupon/get-coupon.handler.js';
import { ListCouponsHandler } from './application/queries/list-coupons/list-coupons.handler.js';
import { CouponQuoter } from './application/quotes/coupon-quoter.js';
import { CouponRedemptions } from './application/redemptions/coupon-redemptions.js';
import { CouponQuotes } from './contracts/coupon-quotes.js';
import { CouponRepository, RedemptionRepository } from './domain/coupon.repository.js';
import { PROMOTIONS_ERROR_CODES } from './domain/promotions.error-codes.js';
import { CouponOrmEntity } from './infrastructure/persistence/coupon.orm-entity.js';
import { RedemptionOrmEntity } from './infrastructure/persistence/redemption.orm-entity.js';
import { TypeOrmCouponReadModel } from './infrastructure/persistence/typeorm-coupon.read-model.js';
import { TypeOrmCouponRepository } from './infrastructure/persistence/typeorm-coupon.repository.js';
import { TypeOrmRedemptionRepository } from './infrastructure/persistence/typeorm-redemption.repository.js';
import { PromotionsDemoData } from './infrastructure/startup/promotions-demo-data.js';
import { CouponsController } from './interface/http/coupons.controller.js';

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
  controllers: [CouponsController],
  providers: [
    // the admin routes
    CreateCouponHandler,
    UpdateCouponHandler,
    DisableCouponHandler,
    GetCouponHandler,
    ListCouponsHandler,
    {
      provide: PromotionsSettings,
      inject: [AppConfig],
      useFactory: (config: AppConfig): PromotionsSettings => ({ currency: config.commerce.currency }),
    },
    // ports → adapters
    { provide: CouponRepository, useClass: TypeOrmCouponRepository },
    { provide: RedemptionRepository, useClass: TypeOrmRedemptionRepository },
    { provide: CouponReadModel, useClass: TypeOrmCouponReadModel },
    // the contract ordering uses
    CouponQuoter,
    { provide: CouponQuotes, useExisting: CouponQuoter },
    // the saga: reactions to ordering's events
    CouponRedemptions,
    ReserveOrderCouponHandler,
    ConfirmOrderCouponHandler,
    ReleaseOrderCouponHandler,
    PromotionsDemoData,
  ],
  exports: [CouponQuotes],
})
export class PromotionsModule {}
