import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import type { TransactionalCommandHandler } from '../../../../../shared/application/transactional-command-handler.js';
import { InvalidRefreshTokenError } from '../../../domain/identity.errors.js';
import { RefreshTokenRepository } from '../../../domain/refresh-token.repository.js';
import { RefreshTokenCodec } from '../../ports/refresh-token-codec.js';
import { LogOutCommand } from './log-out.command.js';

/** Ends a sign-in: revokes the token's whole family. Idempotent for a token that is known but already revoked. */
@CommandHandler(LogOutCommand)
export class LogOutHandler implements TransactionalCommandHandler<LogOutCommand, void> {
  constructor(
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly codec: RefreshTokenCodec,
    private readonly clock: Clock,
  ) {}

  async execute(command: LogOutCommand): Promise<void> {
    const token = await this.refreshTokens.findByHash(this.codec.hash(command.refreshToken));
    if (token === undefined) throw new InvalidRefreshTokenError();
    await this.refreshTokens.revokeFamily(token.familyId, this.clock.now());
  }
}
