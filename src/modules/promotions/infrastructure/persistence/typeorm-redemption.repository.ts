import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { isUniqueViolation, RetryableConflictError } from '../../../../platform/persistence/persistence-errors.js';
import { TransactionContext } from '../../../../platform/persistence/transaction-context.js';
import { VersionedWriter } from '../../../../platform/persistence/versioned-writer.js';
import { RedemptionRepository } from '../../domain/coupon.repository.js';
import { HOLDING_STATUSES, type Redemption } from '../../domain/redemption.aggregate.js';
import { CouponMapper } from './coupon.mapper.js';
import { RedemptionOrmEntity } from './redemption.orm-entity.js';

@Injectable()
export class TypeOrmRedemptionRepository extends RedemptionRepository {
  private readonly writer: VersionedWriter<Redemption, RedemptionOrmEntity>;

  constructor(private readonly context: TransactionContext) {
    super();
    this.writer = new VersionedWriter(context, RedemptionOrmEntity, (redemption: Redemption) =>
      CouponMapper.redemptionToRow(redemption),
    );
  }

  async find(orderId: string): Promise<Redemption | undefined> {
    const row = await this.writer.repository().findOneBy({ id: orderId });
    return row === null ? undefined : CouponMapper.redemptionToDomain(row);
  }

  async lock(orderId: string): Promise<Redemption | undefined> {
    const row = await this.writer.findForUpdate({ id: orderId });
    return row === null ? undefined : CouponMapper.redemptionToDomain(row);
  }

  /**
   * Served by `ix_coupon_redemptions_holder` (coupon, user, status). The locking variant matters on InnoDB: under
   * REPEATABLE READ a plain SELECT reads the transaction's first snapshot, which may predate the coupon lock the
   * caller waited for — and miss the redemption the previous lock holder just committed.
   */
  async countHeld(couponId: string, userId: string, options: { readonly locking: boolean }): Promise<number> {
    const manager = this.context.manager();
    const query = manager
      .getRepository(RedemptionOrmEntity)
      .createQueryBuilder('r')
      .select('r.id', 'id')
      .where({ couponId, userId, status: In([...HOLDING_STATUSES]) });
    if (options.locking && manager.connection.options.type === 'mysql') query.setLock('pessimistic_write');
    return (await query.getRawMany()).length;
  }

  async save(redemption: Redemption): Promise<void> {
    try {
      await this.writer.save(redemption);
    } catch (error) {
      // The same order's redemption saved by a concurrent delivery: run again, and find the first decision.
      if (redemption.isNew && isUniqueViolation(error))
        throw new RetryableConflictError('redemption saved concurrently');
      throw error;
    }
  }
}
