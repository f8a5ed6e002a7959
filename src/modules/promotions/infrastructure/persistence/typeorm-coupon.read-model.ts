import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodeCursor, toPage, type Page } from '../../../../shared/application/cursor.js';
import { cursorDatetime } from '../../../../platform/persistence/cursor-datetime.js';
import { toCouponView, type CouponView } from '../../application/coupon-view.js';
import { CouponReadModel, type CouponListFilter } from '../../application/ports/coupon-read-model.js';
import { CouponMapper } from './coupon.mapper.js';
import { CouponOrmEntity } from './coupon.orm-entity.js';

/**
 * Coupon reads for the admin queries, straight from `coupons` (admins read little; no cache to keep fresh). The
 * list is a keyset scan, newest first, of the index (created_at, id): the cursor is the last row's (createdAt, id),
 * and the next page starts strictly after that pair, so coupons created in the same millisecond are neither
 * skipped nor repeated.
 */
@Injectable()
export class TypeOrmCouponReadModel extends CouponReadModel {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async findById(id: string): Promise<CouponView | undefined> {
    const row = await this.dataSource.getRepository(CouponOrmEntity).findOneBy({ id });
    return row === null ? undefined : toCouponView(CouponMapper.toDomain(row));
  }

  async list(filter: CouponListFilter): Promise<Page<CouponView>> {
    const query = this.dataSource.getRepository(CouponOrmEntity).createQueryBuilder('c');
    if (filter.cursor !== undefined) {
      const { createdAt, id } = this.decode(filter.cursor);
      query.where('(c.createdAt < :createdAt OR (c.createdAt = :createdAt AND c.id < :id))', { createdAt, id });
    }
    const rows = await query
      .orderBy('c.createdAt', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(filter.limit + 1)
      .getMany();
    return toPage(
      rows,
      filter.limit,
      (row) => [row.createdAt.toISOString(), row.id],
      (row) => toCouponView(CouponMapper.toDomain(row)),
    );
  }

  private decode(cursor: string): { createdAt: unknown; id: string } {
    const [createdAt, id] = decodeCursor(cursor, ['string', 'string']);
    return { createdAt: cursorDatetime(this.dataSource, CouponOrmEntity, 'createdAt', createdAt), id: String(id) };
  }
}
