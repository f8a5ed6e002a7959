import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation } from '@nestjs/swagger';
import { Public } from '../../../../platform/auth/auth.decorators.js';
import { ApiEnveloped, ApiErrors, ApiNoContent, ApiTag } from '../../../../platform/http/openapi.decorators.js';
import { AuthRateLimit } from '../../../../platform/rate-limit/auth-rate-limit.decorator.js';
import { LogInCommand } from '../../application/commands/log-in/log-in.command.js';
import { LogOutCommand } from '../../application/commands/log-out/log-out.command.js';
import { RefreshSessionCommand } from '../../application/commands/refresh-session/refresh-session.command.js';
import { RegisterUserCommand } from '../../application/commands/register-user/register-user.command.js';
import type { TokenPair } from '../../application/token-pair.js';
import type { UserView } from '../../application/user-view.js';
import { LoginRequest, RefreshTokenRequest, RegisterRequest } from './dto/credentials.request.js';
import { TokenPairResponse } from './dto/token-pair.response.js';
import { UserResponse } from './dto/user.response.js';

/** The auth limit counts per (client IP, email) for login/register and per (client IP, token family) for refresh. */
const byEmail = (body: Record<string, unknown>) => (typeof body.email === 'string' ? body.email : undefined);
const byTokenFamily = (body: Record<string, unknown>) =>
  typeof body.refreshToken === 'string' ? body.refreshToken.split('.', 1)[0] : undefined;

@ApiTag('auth', 'Sign-up, sign-in and refresh-token sessions; public routes, rate limited per client IP and email')
@Public()
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly commands: CommandBus) {}

  @Post('register')
  @AuthRateLimit(byEmail)
  @ApiOperation({
    summary: 'Create a customer account',
    description: 'Registers a customer with a unique email (409 40900 when taken) and answers the new user.',
  })
  @ApiEnveloped(201, UserResponse)
  @ApiErrors(40900)
  register(@Body() body: RegisterRequest): Promise<UserView> {
    return this.commands.execute(new RegisterUserCommand(body.email, body.password, body.displayName));
  }

  @Post('login')
  @AuthRateLimit(byEmail)
  @ApiOperation({
    summary: 'Exchange email and password for a token pair',
    description:
      'Answers a short-lived access token (send it as `Authorization: Bearer …`; `expiresIn` in seconds) and a ' +
      'refresh token. An unknown email and a wrong password get the same 401 40100.',
  })
  @ApiEnveloped(200, TokenPairResponse)
  @ApiErrors(40100)
  login(@Body() body: LoginRequest): Promise<TokenPair> {
    return this.commands.execute(new LogInCommand(body.email, body.password));
  }

  @Post('refresh')
  @AuthRateLimit(byTokenFamily)
  @ApiOperation({
    summary: 'Rotate a refresh token; re-using a spent one revokes its whole family (40102)',
    description:
      'Exchanges a refresh token for a new pair; the old one is spent. Presenting a spent token again means it ' +
      'was copied: every token of that sign-in is revoked and the answer is 401 40102.',
  })
  @ApiEnveloped(200, TokenPairResponse)
  @ApiErrors(40100, 40101, 40102)
  refresh(@Body() body: RefreshTokenRequest): Promise<TokenPair> {
    return this.commands.execute(new RefreshSessionCommand(body.refreshToken));
  }

  @Post('logout')
  @ApiOperation({
    summary: 'Revoke the refresh token’s family (this sign-in on every device that shares it)',
    description: 'Signs out: the refresh token and every token rotated from it stop working. Answers 204.',
  })
  @ApiNoContent()
  @ApiErrors(40100)
  async logout(@Body() body: RefreshTokenRequest): Promise<void> {
    await this.commands.execute(new LogOutCommand(body.refreshToken));
  }
}
