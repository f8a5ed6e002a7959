import { Injectable } from '@nestjs/common';
import { translatePersistenceError } from '../../../../platform/persistence/persistence-errors.js';
import { TransactionContext } from '../../../../platform/persistence/transaction-context.js';
import { VersionedWriter } from '../../../../platform/persistence/versioned-writer.js';
import { DuplicateError } from '../../../../shared/domain/domain-error.js';
import { PromotionsSettings } from '../../application/promotions-settings.js';
import type { Coupon } from '../../domain/coupon.aggregate.js';
import { CouponRepository } from '../../domain/coupon.repository.js';
import { CouponCodeTakenError } from '../../domain/promotions.errors.js';
import { CouponMapper } from './coupon.mapper.js';
import { CouponOrmEntity } from './coupon.orm-entity.js';

@Injectable()
export class TypeOrmCouponRepository extends CouponRepository {
  private readonly writer: VersionedWriter<Coupon, CouponOrmEntity>;

  constructor(context: TransactionContext, settings: PromotionsSettings) {
    super();
    this.writer = new VersionedWriter(context, CouponOrmEntity, (coupon: Coupon) =>
      CouponMapper.toRow(coupon, settings.currency),
    );
  }

  async findById(couponId: string): Promise<Coupon | undefined> {
    const row = await this.writer.repository().findOneBy({ id: couponId });
    return row === null ? undefined : CouponMapper.toDomain(row);
  }

  async findByCode(code: string): Promise<Coupon | undefined> {
    const row = await this.writer.repository().findOneBy({ code });
    return row === null ? undefined : CouponMapper.toDomain(row);
  }

  async lock(couponId: string): Promise<Coupon | undefined> {
    const row = await this.writer.findForUpdate({ id: couponId });
    return row === null ? undefined : CouponMapper.toDomain(row);
  }

  /** The unique code index is the only unique key besides the id: a violation means the code is taken. */
  async save(coupon: Coupon): Promise<void> {
    try {
      await this.writer.save(coupon);
    } catch (error) {
      if (translatePersistenceError(error) instanceof DuplicateError) throw new CouponCodeTakenError(coupon.codeValue);
      throw error;
    }
  }
}
