import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { MAX_QUANTITY } from '../../../domain/inventory.errors.js';

export class StockAdjustmentRequest {
  @ApiProperty({
    example: 25,
    description: 'Units in (positive) or out (negative); non-zero. Removing more than is available is 422 42203.',
    minimum: -MAX_QUANTITY,
    maximum: MAX_QUANTITY,
  })
  @IsInt()
  @Min(-MAX_QUANTITY)
  @Max(MAX_QUANTITY)
  delta: number;

  @ApiProperty({ example: 'delivery 2026-12-01', minLength: 1, maxLength: 200, description: 'Kept in the audit trail' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  reason: string;
}
