import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { MAX_LINE_QUANTITY, MAX_ORDER_LINES } from '../../../domain/order-line.js';

export class OrderLineRequest {
  @ApiProperty({ format: 'uuid', description: 'An active product of the catalog' })
  @IsUUID()
  productId: string;

  @ApiProperty({ example: 2, minimum: 1, maximum: MAX_LINE_QUANTITY })
  @IsInt()
  @Min(1)
  @Max(MAX_LINE_QUANTITY)
  quantity: number;
}

export class PlaceOrderRequest {
  @ApiProperty({
    type: [OrderLineRequest],
    minItems: 1,
    maxItems: MAX_ORDER_LINES,
    description: 'Each product once; prices are taken from the catalog when the order is placed',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ORDER_LINES)
  @ValidateNested({ each: true })
  @Type(() => OrderLineRequest)
  lines: OrderLineRequest[];

  @ApiPropertyOptional({
    example: 'WELCOME-10',
    pattern: '^[A-Za-z0-9-]{3,32}$',
    description:
      'A coupon code, in any case. A code that cannot apply (unknown, disabled, outside its validity window, ' +
      'subtotal below its minimum, used up) is 422 42205 and no order is created; otherwise the order carries the ' +
      'discount and the saga reserves a redemption beside the stock.',
  })
  @IsOptional()
  @IsString()
  // The code's shape; promotions/domain/coupon-code.value-object.ts is the rule (a module may not import it here).
  @Matches(/^\s*[A-Za-z0-9-]{3,32}\s*$/, { message: 'must be 3–32 of A–Z 0–9 -' })
  couponCode?: string;
}
