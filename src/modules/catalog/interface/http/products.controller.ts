import { Body, Controller, Delete, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOperation, ApiParam } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { OptionalUser, Public, Roles } from '../../../../platform/auth/auth.decorators.js';
import type { Principal } from '../../../../platform/auth/principal.js';
import { IfMatch, sendEtag } from '../../../../platform/http/if-match.js';
import { UuidParam } from '../../../../platform/http/uuid-param.js';
import { ApiAuthenticated, ApiEnveloped, ApiErrors, ApiTag } from '../../../../platform/http/openapi.decorators.js';
import type { Page } from '../../../../shared/application/cursor.js';
import { ArchiveProductCommand } from '../../application/commands/archive-product/archive-product.command.js';
import { CreateProductCommand } from '../../application/commands/create-product/create-product.command.js';
import { UpdateProductCommand } from '../../application/commands/update-product/update-product.command.js';
import type { ProductSortField } from '../../application/ports/product-read-model.js';
import type { ProductView } from '../../application/product-view.js';
import { GetProductQuery } from '../../application/queries/get-product/get-product.query.js';
import { ListProductsQuery } from '../../application/queries/list-products/list-products.query.js';
import { ListProductsQueryParams } from './dto/list-products.query.js';
import { CreateProductRequest, UpdateProductRequest } from './dto/product.request.js';
import { ProductResponse } from './dto/product.response.js';

const IF_MATCH_HEADER = {
  name: 'If-Match',
  required: false,
  description: 'The ETag of the version you read (`"3"`); a mismatch is 412 41200. Without it the change applies.',
};

@ApiTag('products', 'The catalog: browse and read products (public); create, change and archive them (admins)')
@Controller('api/v1/products')
export class ProductsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Browse products',
    description:
      'Keyset-paginated (`limit` 1–100, opaque `cursor` bound to the sort). `q`: case-insensitive substring of ' +
      'the name or an exact SKU; `minPrice`/`maxPrice`: inclusive, minor units; `sort`: `name`, `price` or ' +
      '`createdAt`, `-` for descending (default `-createdAt`). Archived products only with `status=archived`, ' +
      'for admins.',
  })
  @ApiEnveloped(200, ProductResponse, { page: true })
  @ApiErrors(40100, 40300)
  list(
    @Query() query: ListProductsQueryParams,
    @OptionalUser() viewer: Principal | undefined,
  ): Promise<Page<ProductView>> {
    const descending = query.sort.startsWith('-');
    const field = (descending ? query.sort.slice(1) : query.sort) as ProductSortField;
    return this.queries.execute(
      new ListProductsQuery(
        {
          q: query.q,
          minPrice: query.minPrice,
          maxPrice: query.maxPrice,
          status: query.status,
          sort: { field, descending },
          limit: query.limit,
          cursor: query.cursor,
        },
        viewer?.roles,
      ),
    );
  }

  @Get(':id')
  @Public()
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: 'One product (cached), with `ETag: "<version>"`',
    description:
      'Archived products stay readable by id. A change is visible to every request that starts after it answered.',
  })
  @ApiEnveloped(200, ProductResponse)
  @ApiErrors(40400)
  async get(@Param('id', UuidParam) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<ProductView> {
    const product = await this.queries.execute(new GetProductQuery(id));
    sendEtag(reply, product.version);
    return product;
  }

  @Post()
  @ApiAuthenticated()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a product', description: 'A taken SKU (in any case) is 409 40900.' })
  @ApiEnveloped(201, ProductResponse)
  @ApiErrors(40100, 40101, 40300, 40900)
  async create(
    @Body() body: CreateProductRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductView> {
    const product = await this.commands.execute(
      new CreateProductCommand(body.sku, body.name, body.description ?? '', body.price),
    );
    sendEtag(reply, product.version);
    return product;
  }

  @Patch(':id')
  @ApiAuthenticated()
  @Roles('admin')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader(IF_MATCH_HEADER)
  @ApiOperation({ summary: 'Change a product', description: 'Only the fields sent change; honours `If-Match`.' })
  @ApiEnveloped(200, ProductResponse)
  @ApiErrors(40100, 40101, 40300, 40400, 40900, 40901, 41200)
  async update(
    @Param('id', UuidParam) id: string,
    @Body() body: UpdateProductRequest,
    @IfMatch() expectedVersions: readonly number[] | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductView> {
    const product = await this.commands.execute(
      new UpdateProductCommand(
        id,
        { sku: body.sku, name: body.name, description: body.description, price: body.price, status: body.status },
        expectedVersions,
      ),
    );
    sendEtag(reply, product.version);
    return product;
  }

  @Delete(':id')
  @ApiAuthenticated()
  @Roles('admin')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader(IF_MATCH_HEADER)
  @ApiOperation({
    summary: 'Archive a product',
    description: 'It leaves the public list but stays readable by id; archiving again changes nothing.',
  })
  @ApiEnveloped(200, ProductResponse)
  @ApiErrors(40100, 40101, 40300, 40400, 40901, 41200)
  async archive(
    @Param('id', UuidParam) id: string,
    @IfMatch() expectedVersions: readonly number[] | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProductView> {
    const product = await this.commands.execute(new ArchiveProductCommand(id, expectedVersions));
    sendEtag(reply, product.version);
    return product;
  }
}
