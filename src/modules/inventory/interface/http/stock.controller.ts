import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam } from '@nestjs/swagger';
import { Public, Roles } from '../../../../platform/auth/auth.decorators.js';
import { UuidParam } from '../../../../platform/http/uuid-param.js';
import { ApiAuthenticated, ApiEnveloped, ApiErrors, ApiTag } from '../../../../platform/http/openapi.decorators.js';
import { AdjustStockCommand } from '../../application/commands/adjust-stock/adjust-stock.command.js';
import { GetStockQuery } from '../../application/queries/get-stock/get-stock.query.js';
import type { StockView } from '../../application/stock-view.js';
import { StockAdjustmentRequest } from './dto/stock-adjustment.request.js';
import { StockResponse } from './dto/stock.response.js';

@ApiTag('stock', 'Inventory: what is on hand, reserved and available per product; admins adjust it')
@Controller('api/v1/products/:id')
export class StockController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('stock')
  @Public()
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: 'Stock of a product',
    description: 'A product never stocked reads all zeros; an unknown product is 404 40400.',
  })
  @ApiEnveloped(200, StockResponse)
  @ApiErrors(40400)
  get(@Param('id', UuidParam) id: string): Promise<StockView> {
    return this.queries.execute(new GetStockQuery(id));
  }

  @Post('stock-adjustments')
  @ApiAuthenticated()
  @Roles('admin')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: 'Adjust stock (delivery, count, damage)',
    description:
      'Adds or removes units and answers the stock after the change. Concurrent adjustments all apply (none is ' +
      'lost); stock never goes below what is reserved (422 42203). Recorded as a movement for audit.',
  })
  @ApiEnveloped(201, StockResponse)
  @ApiErrors(40100, 40101, 40300, 40400, 42203)
  adjust(@Param('id', UuidParam) id: string, @Body() body: StockAdjustmentRequest): Promise<StockView> {
    return this.commands.execute(new AdjustStockCommand(id, body.delta, body.reason));
  }
}
