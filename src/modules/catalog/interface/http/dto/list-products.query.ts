import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQuery } from '../../../../../platform/http/page.query.js';
import { PRODUCT_STATUSES, type ProductStatus } from '../../../domain/product-status.js';

export const PRODUCT_SORTS = ['name', '-name', 'price', '-price', 'createdAt', '-createdAt'] as const;
export type ProductSortParam = (typeof PRODUCT_SORTS)[number];

/** Query values arrive as strings; only a plain decimal integer converts ("1e2", "10abc" stay invalid). */
const toInteger = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

export class ListProductsQueryParams extends PageQuery {
  @ApiPropertyOptional({ description: 'Case-insensitive substring of the name, or an exact SKU', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({ description: 'Inclusive lower bound, integer minor units', minimum: 0 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  minPrice?: number;

  @ApiPropertyOptional({ description: 'Inclusive upper bound, integer minor units', minimum: 0 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  maxPrice?: number;

  @ApiPropertyOptional({ enum: PRODUCT_SORTS, default: '-createdAt', description: '`-` for descending' })
  @IsOptional()
  @IsIn(PRODUCT_SORTS)
  sort: ProductSortParam = '-createdAt';

  @ApiPropertyOptional({
    enum: PRODUCT_STATUSES,
    default: 'active',
    description: '`archived` is for admins (401 anonymous, 403 customers)',
  })
  @IsOptional()
  @IsIn(PRODUCT_STATUSES)
  status: ProductStatus = 'active';
}
