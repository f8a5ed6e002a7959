import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';

/**
 * Money in a request body (SPEC §4 Validation): integer minor units and an ISO 4217 code. Whether the currency is
 * the shop's is a domain rule (400 on `<field>.currency`), checked by the context that owns the amount.
 */
export class MoneyRequest {
  @ApiProperty({ description: 'Integer minor units (cents)', example: 1999, minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  amount: number;

  @ApiProperty({ description: 'ISO 4217 code: the configured CURRENCY', example: 'EUR' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code (three capital letters)' })
  currency: string;
}
