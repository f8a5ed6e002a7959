import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { COUPON_STATUSES, type CouponStatus } from '../../../domain/coupon-status.js';

export class CouponMoneyResponse {
  @ApiProperty({ type: 'integer', example: 500, description: 'Integer minor units' })
  amount: number;

  @ApiProperty({ example: 'EUR' })
  currency: string;
}

/** Exactly one of the two is present. */
export class CouponDiscountResponse {
  @ApiPropertyOptional({
    type: 'integer',
    example: 10,
    minimum: 1,
    maximum: 100,
    description: 'Percent off the subtotal',
  })
  percent?: number;

  @ApiPropertyOptional({ type: CouponMoneyResponse, description: 'A fixed amount off' })
  amount?: CouponMoneyResponse;
}

export class CouponResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'SUMMER-10', description: 'Upper-case; unique; never changes' })
  code: string;

  @ApiProperty({ type: CouponDiscountResponse, description: 'Either `{percent}` or `{amount}`' })
  discount: CouponDiscountResponse;

  @ApiProperty({
    type: CouponMoneyResponse,
    nullable: true,
    description: 'The order’s subtotal must be at least this (inclusive); null: no minimum',
  })
  minSubtotal: CouponMoneyResponse | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Valid from (inclusive); null: at once',
  })
  validFrom: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Valid until (inclusive); null: no end',
  })
  validUntil: string | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 100,
    description: 'Orders that may hold the coupon at once, over all customers; null: unlimited',
  })
  maxRedemptions: number | null;

  @ApiProperty({ type: 'integer', example: 1, description: 'Orders one customer may hold it on at once' })
  maxRedemptionsPerUser: number;

  @ApiProperty({ enum: COUPON_STATUSES, description: '`disabled`: refused to new orders; orders holding it keep it' })
  status: CouponStatus;

  @ApiProperty({
    type: 'integer',
    example: 3,
    description:
      'Orders that hold a redemption now and count against the limits: confirmed, paid or shipped ones. A ' +
      'redemption goes back when its order is cancelled or expires.',
  })
  redemptions: number;

  @ApiProperty({
    type: 'integer',
    example: 0,
    description:
      'Redemptions reserved for orders the order saga has not decided yet (PENDING): they count against the ' +
      'limits too, and become `redemptions` when the order is confirmed or are released when it is rejected.',
  })
  pendingRedemptions: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({
    type: 'integer',
    example: 1,
    description: 'Grows by one on every change (redemption steps included); the ETag is `"<version>"`',
  })
  version: number;
}
