import { Body, Controller, Get, Patch, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation } from '@nestjs/swagger';
import { CurrentUser } from '../../../../platform/auth/auth.decorators.js';
import type { Principal } from '../../../../platform/auth/principal.js';
import {
  ApiAuthenticated,
  ApiEnveloped,
  ApiErrors,
  ApiNoContent,
  ApiTag,
} from '../../../../platform/http/openapi.decorators.js';
import { USER_ATTEMPT_LIMIT, UserAttemptLimit } from '../../../../platform/rate-limit/auth-rate-limit.decorator.js';
import { ChangeMyPasswordCommand } from '../../application/commands/change-my-password/change-my-password.command.js';
import { UpdateMyProfileCommand } from '../../application/commands/update-my-profile/update-my-profile.command.js';
import { GetUserQuery } from '../../application/queries/get-user/get-user.query.js';
import type { UserView } from '../../application/user-view.js';
import { ChangePasswordRequest, UpdateMyProfileRequest } from './dto/profile.request.js';
import { UserResponse } from './dto/user.response.js';

@ApiTag('users', 'Your own account: profile and password; needs an access token')
@ApiAuthenticated()
@Controller('api/v1/users/me')
export class MeController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Your own account',
    description: 'The signed-in user: email, display name, roles, status and version.',
  })
  @ApiEnveloped(200, UserResponse)
  @ApiErrors(40100, 40101)
  me(@CurrentUser() principal: Principal): Promise<UserView> {
    return this.queries.execute(new GetUserQuery(principal.id));
  }

  @Patch()
  @ApiOperation({
    summary: 'Change your display name',
    description: 'Updates the display name (1–100 characters) and answers the changed account.',
  })
  @ApiEnveloped(200, UserResponse)
  @ApiErrors(40100, 40101, 40901)
  update(@CurrentUser() principal: Principal, @Body() body: UpdateMyProfileRequest): Promise<UserView> {
    return this.commands.execute(new UpdateMyProfileCommand(principal.id, body.displayName));
  }

  @Post('password')
  @UserAttemptLimit()
  @ApiOperation({
    summary: 'Change your password; every refresh token of yours is revoked',
    description:
      'Checks the current password, stores the new one (8–128 characters) and revokes every refresh token of ' +
      `yours, on every device. Answers 204. At most ${USER_ATTEMPT_LIMIT.attempts} attempts per account in a ` +
      `${USER_ATTEMPT_LIMIT.windowMs / 60_000}-minute window, right or wrong and from any IP: the next one is ` +
      '429 42900 (see Retry-After and RateLimit-*), so a stolen access token cannot guess the current password.',
  })
  @ApiNoContent()
  @ApiErrors(40000, 40100, 40101, 40901, 42900)
  async changePassword(@CurrentUser() principal: Principal, @Body() body: ChangePasswordRequest): Promise<void> {
    await this.commands.execute(new ChangeMyPasswordCommand(principal.id, body.currentPassword, body.newPassword));
  }
}
