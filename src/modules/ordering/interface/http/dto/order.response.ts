import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ORDER_STATUSES, type OrderReason, type OrderStatus } from '../../../domain/order-status.js';

class MoneyResponse {
  @ApiProperty({ example: 1290, description: 'Integer minor units' })
  amount: number;

  @ApiProperty({ example: 'EUR' })
  currency: string;
}

class OrderLineResponse {
  @ApiProperty({ format: 'uuid' })
  productId: string;

  @ApiProperty({ example: 2 })
  quantity: number;

  @ApiProperty({ type: MoneyResponse, description: 'The catalog price when the order was placed' })
  unitPrice: MoneyResponse;

  @ApiProperty({ type: MoneyResponse, description: 'unitPrice × quantity' })
  lineTotal: MoneyResponse;
}

export class OrderResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({
    enum: ORDER_STATUSES,
    description:
      'PENDING until inventory answers (milliseconds); then CONFIRMED or REJECTED. CONFIRMED orders expire unpaid ' +
      'after ORDER_PAYMENT_TIMEOUT.',
  })
  status: OrderStatus;

  @ApiProperty({ type: [OrderLineResponse] })
  lines: OrderLineResponse[];

  @ApiProperty({ type: MoneyResponse, description: 'Sum of the line totals' })
  subtotal: MoneyResponse;

  @ApiProperty({ type: MoneyResponse, description: 'Zero without a coupon' })
  discount: MoneyResponse;

  @ApiProperty({ type: MoneyResponse, description: 'subtotal − discount' })
  total: MoneyResponse;

  @ApiPropertyOptional({ example: 'WINTER-10', description: 'Present when the order uses a coupon' })
  couponCode?: string;

  @ApiPropertyOptional({
    example: 'out_of_stock',
    enum: [
      'out_of_stock',
      'timeout',
      'coupon_exhausted',
      'cancelled_by_customer',
      'cancelled_by_admin',
      'payment_timeout',
    ],
    description: 'Why the order is REJECTED, CANCELLED or EXPIRED; absent otherwise',
  })
  reason?: OrderReason;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ example: 1, description: 'Grows by one on every change of status' })
  version: number;
}
