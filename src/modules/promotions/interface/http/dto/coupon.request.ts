import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import { MoneyRequest } from '../../../../../platform/http/money.request.js';
import { DISCOUNT_RULE, INSTANT_RULE, toInstant } from '../../../application/commands/coupon-input.js';
import { COUPON_STATUSES, type CouponStatus } from '../../../domain/coupon-status.js';
import { COUPON_CODE_INPUT_PATTERN, COUPON_CODE_RULE } from '../../../domain/coupon-code.value-object.js';
import { DEFAULT_MAX_REDEMPTIONS_PER_USER, MAX_REDEMPTION_LIMIT } from '../../../domain/coupon-terms.js';
import { NullClears } from '../../../../../platform/http/null-clears.js';

const CODE_DESCRIPTION =
  '3–32 of A–Z 0–9 -, accepted in any case and stored upper-case; unique (in any case). Never changes.';
const INSTANT_MAX_LENGTH = 40;
const INSTANT_EXAMPLE = '2026-01-31T23:59:59Z';

/** A fixed discount: money of the shop's currency, more than zero. */
export class CouponAmountRequest {
  @ApiProperty({
    type: 'integer',
    description: 'Integer minor units (cents), at least 1',
    example: 500,
    minimum: 1,
  })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amount: number;

  @ApiProperty({ description: 'ISO 4217 code: the configured CURRENCY', example: 'EUR' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code (three capital letters)' })
  currency: string;
}

export class CouponDiscountRequest {
  @ApiPropertyOptional({
    type: 'integer',
    description: 'Percent off the subtotal (rounded half-up to the minor unit)',
    minimum: 1,
    maximum: 100,
    example: 10,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  percent?: number;

  @ApiPropertyOptional({ type: CouponAmountRequest, description: 'A fixed amount off (never more than the subtotal)' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CouponAmountRequest)
  amount?: CouponAmountRequest;
}

/** `discount` must hold exactly one of `percent` and `amount` (reported on `discount` itself). */
function ExactlyOneDiscount(): PropertyDecorator {
  return ValidateBy({
    name: 'exactlyOneDiscount',
    validator: {
      // Not an object at all is IsObject's to report.
      validate: (value: unknown) => {
        if (typeof value !== 'object' || value === null) return true;
        const given = value as { percent?: unknown; amount?: unknown };
        const present = (part: unknown) => part !== undefined && part !== null;
        return present(given.percent) !== present(given.amount);
      },
      defaultMessage: () => DISCOUNT_RULE,
    },
  });
}

/** An ISO-8601 date-time with an offset that names a real instant (no 30 February). */
function IsInstant(): PropertyDecorator {
  return ValidateBy({
    name: 'isInstant',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && toInstant(value) !== undefined,
      defaultMessage: () => INSTANT_RULE,
    },
  });
}

/** `validUntil` before `validFrom` in the same body (a PATCH of one end is checked against the stored other end). */
function NotBeforeValidFrom(): PropertyDecorator {
  return ValidateBy({
    name: 'notBeforeValidFrom',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const from = (args?.object as { validFrom?: unknown } | undefined)?.validFrom;
        if (typeof value !== 'string' || typeof from !== 'string') return true;
        const [until, since] = [toInstant(value), toInstant(from)];
        return until === undefined || since === undefined || until >= since;
      },
      defaultMessage: () => 'must not be before validFrom',
    },
  });
}

const DISCOUNT_DESCRIPTION =
  'Exactly one of `percent` (an integer 1–100) or `amount` (money of the shop’s currency, more than zero); both ' +
  'or neither is 400 on `discount`.';

export class CreateCouponRequest {
  @ApiProperty({
    example: 'SUMMER-10',
    maxLength: 64,
    pattern: COUPON_CODE_INPUT_PATTERN.source,
    description: CODE_DESCRIPTION,
  })
  @IsString()
  @MaxLength(64)
  @Matches(COUPON_CODE_INPUT_PATTERN, { message: COUPON_CODE_RULE })
  code: string;

  @ApiProperty({ type: CouponDiscountRequest, description: DISCOUNT_DESCRIPTION })
  @IsObject()
  @ValidateNested()
  @Type(() => CouponDiscountRequest)
  @ExactlyOneDiscount()
  discount: CouponDiscountRequest;

  @ApiPropertyOptional({
    type: MoneyRequest,
    description: 'The order’s subtotal must be at least this (inclusive); zero or more, the shop’s currency',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyRequest)
  minSubtotal?: MoneyRequest;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    maxLength: INSTANT_MAX_LENGTH,
    example: '2026-01-01T00:00:00Z',
    description: 'Valid from this instant (inclusive); ISO-8601 with an offset. Absent: valid at once.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(INSTANT_MAX_LENGTH)
  @IsInstant()
  validFrom?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    maxLength: INSTANT_MAX_LENGTH,
    example: INSTANT_EXAMPLE,
    description: 'Valid until this instant (inclusive), not before `validFrom`. Absent: no end.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(INSTANT_MAX_LENGTH)
  @IsInstant()
  @NotBeforeValidFrom()
  validUntil?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_REDEMPTION_LIMIT,
    description: 'Orders that may hold the coupon at once, over all customers. Absent: unlimited.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_REDEMPTION_LIMIT)
  maxRedemptions?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_REDEMPTION_LIMIT,
    default: DEFAULT_MAX_REDEMPTIONS_PER_USER,
    description: 'Orders one customer may hold it on at once.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_REDEMPTION_LIMIT)
  maxRedemptionsPerUser?: number;
}

/** Only the fields sent change; `null` clears the optional ones marked nullable. `code` is not accepted. */
export class UpdateCouponRequest {
  @ApiPropertyOptional({ type: CouponDiscountRequest, description: DISCOUNT_DESCRIPTION })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CouponDiscountRequest)
  @ExactlyOneDiscount()
  discount?: CouponDiscountRequest;

  @ApiPropertyOptional({
    type: MoneyRequest,
    nullable: true,
    description: 'Minimum subtotal (inclusive), the shop’s currency; `null` removes the minimum',
  })
  @IsOptional()
  @NullClears()
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyRequest)
  minSubtotal?: MoneyRequest | null;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    maxLength: INSTANT_MAX_LENGTH,
    example: '2026-01-01T00:00:00Z',
    description: 'Valid from (inclusive), ISO-8601 with an offset; `null` removes the start',
  })
  @IsOptional()
  @NullClears()
  @IsString()
  @MaxLength(INSTANT_MAX_LENGTH)
  @IsInstant()
  validFrom?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    maxLength: INSTANT_MAX_LENGTH,
    example: INSTANT_EXAMPLE,
    description: 'Valid until (inclusive), not before the start; `null` removes the end',
  })
  @IsOptional()
  @NullClears()
  @IsString()
  @MaxLength(INSTANT_MAX_LENGTH)
  @IsInstant()
  @NotBeforeValidFrom()
  validUntil?: string | null;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_REDEMPTION_LIMIT,
    nullable: true,
    description: 'Orders that may hold the coupon at once; `null` makes it unlimited',
  })
  @IsOptional()
  @NullClears()
  @IsInt()
  @Min(1)
  @Max(MAX_REDEMPTION_LIMIT)
  maxRedemptions?: number | null;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_REDEMPTION_LIMIT,
    description: 'Orders one customer may hold it on at once',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_REDEMPTION_LIMIT)
  maxRedemptionsPerUser?: number;

  @ApiPropertyOptional({
    enum: COUPON_STATUSES,
    description: '`disabled` refuses the coupon to new orders (orders holding it keep it); `active` brings it back',
  })
  @IsOptional()
  @IsIn(COUPON_STATUSES)
  status?: CouponStatus;
}
