import { ApiProperty } from '@nestjs/swagger';
import { PRODUCT_STATUSES, type ProductStatus } from '../../../domain/product-status.js';

class MoneyResponse {
  @ApiProperty({ example: 1999, description: 'Integer minor units' })
  amount: number;

  @ApiProperty({ example: 'EUR' })
  currency: string;
}

export class ProductResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'MUG-001' })
  sku: string;

  @ApiProperty({ example: 'Enamel mug' })
  name: string;

  @ApiProperty({ example: 'A sturdy mug for the office' })
  description: string;

  @ApiProperty({ type: MoneyResponse })
  price: MoneyResponse;

  @ApiProperty({ enum: PRODUCT_STATUSES })
  status: ProductStatus;

  @ApiProperty({ example: 1, description: 'Grows by one on every change; the ETag is `"<version>"`' })
  version: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}
