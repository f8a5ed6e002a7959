import { ApiProperty } from '@nestjs/swagger';

export class StockResponse {
  @ApiProperty({ format: 'uuid' })
  productId: string;

  @ApiProperty({ example: 50, description: 'Units in the warehouse' })
  onHand: number;

  @ApiProperty({ example: 3, description: 'Units held for orders not yet shipped' })
  reserved: number;

  @ApiProperty({ example: 47, description: 'onHand − reserved: what can still be ordered' })
  available: number;

  @ApiProperty({ example: 4, description: 'Grows by one on every change; 0 for a product never stocked' })
  version: number;
}
