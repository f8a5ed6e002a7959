import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../../../../platform/auth/auth.decorators.js';
import type { Principal } from '../../../../platform/auth/principal.js';
import { Idempotent } from '../../../../platform/idempotency/idempotent.decorator.js';
import { ApiAuthenticated, ApiEnveloped, ApiErrors, ApiTag } from '../../../../platform/http/openapi.decorators.js';
import { UuidParam } from '../../../../platform/http/uuid-param.js';
import type { Page } from '../../../../shared/application/cursor.js';
import { CancelOrderCommand } from '../../application/commands/cancel-order/cancel-order.command.js';
import { PlaceOrderCommand } from '../../application/commands/place-order/place-order.command.js';
import { ShipOrderCommand } from '../../application/commands/ship-order/ship-order.command.js';
import type { OrderView } from '../../application/order-view.js';
import { GetOrderQuery } from '../../application/queries/get-order/get-order.query.js';
import { ListOrdersQuery } from '../../application/queries/list-orders/list-orders.query.js';
import type { OrderViewer } from '../../application/queries/viewer.js';
import { ListOrdersQueryParams } from './dto/list-orders.query.js';
import { OrderResponse } from './dto/order.response.js';
import { PlaceOrderRequest } from './dto/place-order.request.js';

function viewerOf(user: Principal): OrderViewer {
  return { id: user.id, isAdmin: user.roles.includes('admin') };
}

@ApiTag('orders', 'Place orders, follow them through the saga, cancel them; admins see and ship everyone’s')
@ApiAuthenticated()
@Controller('api/v1/orders')
export class OrdersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Idempotent()
  @ApiOperation({
    summary: 'Place an order',
    description:
      'Answers 201 with the order PENDING, priced from the catalog now, with the discount of `couponCode` if one is ' +
      'given (a code that cannot apply is 422 42205, and nothing is placed). Inventory then reserves every line or ' +
      'none, and promotions a redemption of the coupon, asynchronously: the order becomes CONFIRMED when both ' +
      'succeed, or REJECTED with a `reason` (`out_of_stock`, `coupon_exhausted`, or `timeout` after ' +
      'ORDER_CONFIRMATION_TIMEOUT) — poll GET /orders/{id}. Requires `Idempotency-Key`: a retry ' +
      'with the same key and body answers the first response again and places nothing. While the saga lags by more ' +
      'than half ORDER_CONFIRMATION_TIMEOUT, new orders are refused with 503 50300 and `Retry-After` (load shedding).',
  })
  @ApiEnveloped(201, OrderResponse)
  @ApiErrors(40000, 40100, 40101, 42205, 50300)
  place(@CurrentUser() user: Principal, @Body() body: PlaceOrderRequest): Promise<OrderView> {
    return this.commands.execute(
      new PlaceOrderCommand(
        user.id,
        body.lines.map((line) => ({ productId: line.productId.toLowerCase(), quantity: line.quantity })),
        body.couponCode,
      ),
    );
  }

  @Get()
  @ApiOperation({
    summary: 'List orders, newest first',
    description:
      'Your own orders; admins see everyone’s, or one user’s with `userId`. Keyset-paginated (`limit` 1–100, ' +
      'opaque `cursor`). Served from the read model, which already reflects every answered change.',
  })
  @ApiEnveloped(200, OrderResponse, { page: true })
  @ApiErrors(40000, 40100, 40101, 40300)
  list(@CurrentUser() user: Principal, @Query() query: ListOrdersQueryParams): Promise<Page<OrderView>> {
    return this.queries.execute(new ListOrdersQuery(viewerOf(user), query.userId, query.limit, query.cursor));
  }

  @Get(':id')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'One order', description: 'Someone else’s order is 404, like a missing one.' })
  @ApiEnveloped(200, OrderResponse)
  @ApiErrors(40100, 40101, 40400)
  get(@CurrentUser() user: Principal, @Param('id', UuidParam) id: string): Promise<OrderView> {
    return this.queries.execute(new GetOrderQuery(id, viewerOf(user)));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: 'Cancel an order',
    description:
      'A PENDING or CONFIRMED order becomes CANCELLED and its reserved stock is released. Any other status ' +
      '(cancelling twice, a rejected or expired order) is 422 42204. Admins may cancel anyone’s order.',
  })
  @ApiEnveloped(200, OrderResponse)
  @ApiErrors(40100, 40101, 40400, 42204)
  cancel(@CurrentUser() user: Principal, @Param('id', UuidParam) id: string): Promise<OrderView> {
    return this.commands.execute(new CancelOrderCommand(id, viewerOf(user)));
  }

  @Post(':id/ship')
  @HttpCode(200)
  @Roles('admin')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: 'Ship a paid order (admins)',
    description: 'PAID → SHIPPED; the reserved units leave the stock. Any other status is 422 42204.',
  })
  @ApiEnveloped(200, OrderResponse)
  @ApiErrors(40100, 40101, 40300, 40400, 42204)
  ship(@Param('id', UuidParam) id: string): Promise<OrderView> {
    return this.commands.execute(new ShipOrderCommand(id));
  }
}
