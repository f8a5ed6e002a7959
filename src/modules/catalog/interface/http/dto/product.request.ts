import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNotEmptyObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { MoneyRequest } from '../../../../../platform/http/money.request.js';
import { PRODUCT_DESCRIPTION_MAX, PRODUCT_NAME_MAX, PRODUCT_NAME_PATTERN } from '../../../domain/product-details.js';
import { PRODUCT_STATUSES, type ProductStatus } from '../../../domain/product-status.js';
import { SKU_INPUT_PATTERN, SKU_RULE } from '../../../domain/sku.value-object.js';

const SKU_DESCRIPTION =
  '1–64 of A–Z 0–9 . _ -, starting with a letter or digit; accepted in any case, stored upper-case';

export class CreateProductRequest {
  @ApiProperty({ example: 'MUG-001', maxLength: 64, pattern: SKU_INPUT_PATTERN.source, description: SKU_DESCRIPTION })
  @IsString()
  @MaxLength(64)
  @Matches(SKU_INPUT_PATTERN, { message: SKU_RULE })
  sku: string;

  @ApiProperty({ example: 'Enamel mug', minLength: 1, maxLength: PRODUCT_NAME_MAX })
  @IsString()
  @MaxLength(PRODUCT_NAME_MAX)
  @Matches(PRODUCT_NAME_PATTERN, { message: 'must not be blank' })
  name: string;

  @ApiPropertyOptional({ maxLength: PRODUCT_DESCRIPTION_MAX, default: '' })
  @IsOptional()
  @IsString()
  @MaxLength(PRODUCT_DESCRIPTION_MAX)
  description?: string;

  @ApiProperty({ type: MoneyRequest })
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => MoneyRequest)
  price: MoneyRequest;
}

export class UpdateProductRequest {
  @ApiPropertyOptional({ maxLength: 64, pattern: SKU_INPUT_PATTERN.source, description: SKU_DESCRIPTION })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(SKU_INPUT_PATTERN, { message: SKU_RULE })
  sku?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: PRODUCT_NAME_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(PRODUCT_NAME_MAX)
  @Matches(PRODUCT_NAME_PATTERN, { message: 'must not be blank' })
  name?: string;

  @ApiPropertyOptional({ maxLength: PRODUCT_DESCRIPTION_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(PRODUCT_DESCRIPTION_MAX)
  description?: string;

  @ApiPropertyOptional({ type: MoneyRequest })
  @IsOptional()
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => MoneyRequest)
  price?: MoneyRequest;

  @ApiPropertyOptional({ enum: PRODUCT_STATUSES, description: '`active` brings an archived product back' })
  @IsOptional()
  @IsIn(PRODUCT_STATUSES)
  status?: ProductStatus;
}
