import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiParam } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../../../../platform/auth/auth.decorators.js';
import type { Principal } from '../../../../platform/auth/principal.js';
import { UuidParam } from '../../../../platform/http/uuid-param.js';
import { ApiAuthenticated, ApiEnveloped, ApiErrors, ApiTag } from '../../../../platform/http/openapi.decorators.js';
import type { Page } from '../../../../shared/application/cursor.js';
import { CreateUserCommand } from '../../application/commands/create-user/create-user.command.js';
import { DeactivateUserCommand } from '../../application/commands/deactivate-user/deactivate-user.command.js';
import { UpdateUserCommand } from '../../application/commands/update-user/update-user.command.js';
import { GetUserQuery } from '../../application/queries/get-user/get-user.query.js';
import { ListUsersQuery } from '../../application/queries/list-users/list-users.query.js';
import type { UserView } from '../../application/user-view.js';
import { CreateUserRequest, UpdateUserRequest } from './dto/admin-user.request.js';
import { ListUsersQueryParams } from './dto/list-users.query.js';
import { UserResponse } from './dto/user.response.js';

@ApiTag('users (admin)', 'User administration: list, read, create, change and deactivate accounts; admins only')
@ApiAuthenticated()
@Roles('admin')
@Controller('api/v1/users')
export class UsersAdminController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List users, newest first',
    description:
      'Keyset-paginated (`limit` 1–100, opaque `cursor`); filters: `email` (a literal prefix), `role`, `status`.',
  })
  @ApiEnveloped(200, UserResponse, { page: true })
  @ApiErrors(40100, 40101, 40300)
  list(@Query() query: ListUsersQueryParams): Promise<Page<UserView>> {
    return this.queries.execute(
      new ListUsersQuery({
        emailPrefix: query.email,
        role: query.role,
        status: query.status,
        limit: query.limit,
        cursor: query.cursor,
      }),
    );
  }

  @Get(':id')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: 'One user',
    description: 'Any account by id (deleted accounts too: deletion is a status); 404 40400 when there is none.',
  })
  @ApiEnveloped(200, UserResponse)
  @ApiErrors(40100, 40101, 40300, 40400)
  get(@Param('id', UuidParam) id: string): Promise<UserView> {
    return this.queries.execute(new GetUserQuery(id));
  }

  @Post()
  @ApiOperation({
    summary: 'Create a user with chosen roles',
    description: 'Creates an account with the given roles (default customer); 409 40900 when the email is taken.',
  })
  @ApiEnveloped(201, UserResponse)
  @ApiErrors(40100, 40101, 40300, 40900)
  create(@Body() body: CreateUserRequest): Promise<UserView> {
    return this.commands.execute(
      new CreateUserCommand(body.email, body.password, body.displayName, body.roles ?? ['customer']),
    );
  }

  @Patch(':id')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: 'Change roles, status (active|suspended) or display name; applies to the next request',
    description:
      'Suspending revokes every refresh token of the user. An admin cannot remove their own admin role or ' +
      'suspend themselves (422 42210); a deleted account cannot be changed (422 42211).',
  })
  @ApiEnveloped(200, UserResponse)
  @ApiErrors(40100, 40101, 40300, 40400, 40901, 42210, 42211)
  update(
    @CurrentUser() actor: Principal,
    @Param('id', UuidParam) id: string,
    @Body() body: UpdateUserRequest,
  ): Promise<UserView> {
    return this.commands.execute(new UpdateUserCommand(actor.id, id, body.roles, body.status, body.displayName));
  }

  @Delete(':id')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: 'Deactivate (status becomes deleted; every token stops working at once)',
    description:
      'Marks the account deleted, for good: its tokens stop working on the next request. An admin cannot ' +
      'delete their own account (422 42210).',
  })
  @ApiEnveloped(200, UserResponse)
  @ApiErrors(40100, 40101, 40300, 40400, 40901, 42210)
  deactivate(@CurrentUser() actor: Principal, @Param('id', UuidParam) id: string): Promise<UserView> {
    return this.commands.execute(new DeactivateUserCommand(actor.id, id));
  }
}
