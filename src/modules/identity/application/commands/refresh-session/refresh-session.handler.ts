import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import { UnitOfWork } from '../../../../../shared/application/unit-of-work.js';
import { InvalidRefreshTokenError, RefreshTokenReusedError } from '../../../domain/identity.errors.js';
import { RefreshTokenRepository } from '../../../domain/refresh-token.repository.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { RefreshTokenCodec } from '../../ports/refresh-token-codec.js';
import { SessionIssuer } from '../../session-issuer.js';
import type { TokenPair } from '../../token-pair.js';
import { RefreshSessionCommand } from './refresh-session.command.js';

/**
 * Rotation with re-use detection: each refresh token is exchanged at most once (a conditional update decides
 * between concurrent exchanges). Presenting a spent token revokes its whole family (40102) — committed in its own
 * transaction, because the error that follows must not roll the revocation back.
 */
@CommandHandler(RefreshSessionCommand)
export class RefreshSessionHandler implements ICommandHandler<RefreshSessionCommand> {
  constructor(
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly users: UserRepository,
    private readonly codec: RefreshTokenCodec,
    private readonly sessions: SessionIssuer,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(command: RefreshSessionCommand): Promise<TokenPair> {
    const token = await this.refreshTokens.findByHash(this.codec.hash(command.refreshToken));
    if (token === undefined) throw new InvalidRefreshTokenError();
    try {
      return await this.unitOfWork.run(async () => {
        const now = this.clock.now();
        token.assertExchangeable(now);
        if (!(await this.refreshTokens.claim(token, now))) throw new RefreshTokenReusedError();
        const user = await this.users.findById(token.userId);
        if (user === undefined || !user.isActive) throw new InvalidRefreshTokenError();
        return this.sessions.issue(user, token.familyId);
      });
    } catch (error) {
      if (error instanceof RefreshTokenReusedError) {
        await this.unitOfWork.run(() => this.refreshTokens.revokeFamily(token.familyId, this.clock.now()));
      }
      throw error;
    }
  }
}
