import { Body, Controller, Delete, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOperation, ApiParam } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../../../platform/auth/auth.decorators.js';
import { IfMatch, sendEtag } from '../../../../platform/http/if-match.js';
import { ApiAuthenticated, ApiEnveloped, ApiErrors, ApiTag } from '../../../../platform/http/openapi.decorators.js';
import { PageQuery } from '../../../../platform/http/page.query.js';
import { UuidParam } from '../../../../platform/http/uuid-param.js';
import type { Page } from '../../../../shared/application/cursor.js';
import { CreateCouponCommand } from '../../application/commands/create-coupon/create-coupon.command.js';
import { DisableCouponCommand } from '../../application/commands/disable-coupon/disable-coupon.command.js';
import { UpdateCouponCommand } from '../../application/commands/update-coupon/update-coupon.command.js';
import type { CouponView } from '../../application/coupon-view.js';
import { GetCouponQuery } from '../../application/queries/get-coupon/get-coupon.query.js';
import { ListCouponsQuery } from '../../application/queries/list-coupons/list-coupons.query.js';
import { CreateCouponRequest, UpdateCouponRequest } from './dto/coupon.request.js';
import { CouponResponse } from './dto/coupon.response.js';

const IF_MATCH_HEADER = {
  name: 'If-Match',
  required: false,
  description:
    'The ETag of the version you read (`"3"`); a mismatch is 412 41200. Without it the change applies. Orders ' +
    'redeeming the coupon change its version too.',
};

@ApiTag('coupons', 'Promotions: create, list, read, change and disable the coupons orders may redeem; admins only')
@ApiAuthenticated()
@Roles('admin')
@Controller('api/v1/coupons')
export class CouponsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List coupons, newest first',
    description: 'Every coupon, disabled ones too. Keyset-paginated (`limit` 1–100, opaque `cursor`).',
  })
  @ApiEnveloped(200, CouponResponse, { page: true })
  @ApiErrors(40100, 40101, 40300)
  list(@Query() query: PageQuery): Promise<Page<CouponView>> {
    return this.queries.execute(new ListCouponsQuery({ limit: query.limit, cursor: query.cursor }));
  }

  @Get(':id')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: 'One coupon, with `ETag: "<version>"`',
    description: 'Disabled coupons stay readable by id; 404 40400 when there is none.',
  })
  @ApiEnveloped(200, CouponResponse)
  @ApiErrors(40100, 40101, 40300, 40400)
  async get(@Param('id', UuidParam) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<CouponView> {
    const coupon = await this.queries.execute(new GetCouponQuery(id));
    sendEtag(reply, coupon.version);
    return coupon;
  }

  @Post()
  @ApiOperation({
    summary: 'Create a coupon',
    description:
      'Active at once (within its validity window). The code is stored upper-case; a taken code, in any case, ' +
      'is 409 40900.',
  })
  @ApiEnveloped(201, CouponResponse)
  @ApiErrors(40100, 40101, 40300, 40900)
  async create(
    @Body() body: CreateCouponRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CouponView> {
    const coupon = await this.commands.execute(
      new CreateCouponCommand(body.code, {
        discount: { percent: body.discount.percent, amount: body.discount.amount },
        minSubtotal: body.minSubtotal,
        validFrom: body.validFrom,
        validUntil: body.validUntil,
        maxRedemptions: body.maxRedemptions,
        maxRedemptionsPerUser: body.maxRedemptionsPerUser,
      }),
    );
    sendEtag(reply, coupon.version);
    return coupon;
  }

  @Patch(':id')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader(IF_MATCH_HEADER)
  @ApiOperation({
    summary: 'Change a coupon',
    description:
      'Only the fields sent change; `null` clears `minSubtotal`, `validFrom`, `validUntil` or `maxRedemptions`. ' +
      'The code never changes (sending it is 400). Honours `If-Match`.',
  })
  @ApiEnveloped(200, CouponResponse)
  @ApiErrors(40100, 40101, 40300, 40400, 40901, 41200)
  async update(
    @Param('id', UuidParam) id: string,
    @Body() body: UpdateCouponRequest,
    @IfMatch() expectedVersions: readonly number[] | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CouponView> {
    const coupon = await this.commands.execute(
      new UpdateCouponCommand(
        id,
        {
          discount:
            body.discount === undefined ? undefined : { percent: body.discount.percent, amount: body.discount.amount },
          minSubtotal: body.minSubtotal,
          validFrom: body.validFrom,
          validUntil: body.validUntil,
          maxRedemptions: body.maxRedemptions,
          maxRedemptionsPerUser: body.maxRedemptionsPerUser,
          status: body.status,
        },
        expectedVersions,
      ),
    );
    sendEtag(reply, coupon.version);
    return coupon;
  }

  @Delete(':id')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader(IF_MATCH_HEADER)
  @ApiOperation({
    summary: 'Disable a coupon',
    description:
      'New orders are refused it (422 42205); orders that hold it keep it. It stays readable and listed; ' +
      'disabling again changes nothing. Honours `If-Match`.',
  })
  @ApiEnveloped(200, CouponResponse)
  @ApiErrors(40100, 40101, 40300, 40400, 40901, 41200)
  async disable(
    @Param('id', UuidParam) id: string,
    @IfMatch() expectedVersions: readonly number[] | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CouponView> {
    const coupon = await this.commands.execute(new DisableCouponCommand(id, expectedVersions));
    sendEtag(reply, coupon.version);
    return coupon;
  }
}
