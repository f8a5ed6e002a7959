import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsUUID, Max, Min, ValidateNested } from 'class-validator';
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
}
