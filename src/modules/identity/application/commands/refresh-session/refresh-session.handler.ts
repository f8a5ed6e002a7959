import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import {
  FailAfterCommit,
  type TransactionalCommandHandler,
} from '../../../../../shared/application/transactional-command-handler.js';
import { InvalidRefreshTokenError, RefreshTokenReusedError } from '../../../domain/identity.errors.js';
import { RefreshTokenRepository } from '../../../domain/refresh-token.repository.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { RefreshTokenCodec } from '../../ports/refresh-token-codec.js';
import { SessionIssuer } from '../../session-issuer.js';
import type { TokenPair } from '../../token-pair.js';
import { RefreshSessionCommand } from './refresh-session.command.js';

/**
 * Rotation with re-use detection: each refresh token is exchanged at most once (a conditional update decides
 * between concurrent exchanges). Presenting a spent token revokes its whole family and answers 40102: the handler
 * returns FailAfterCommit, so the revocation commits although the caller gets an error.
 */
@CommandHandler(RefreshSessionCommand)
export class RefreshSessionHandler implements TransactionalCommandHandler<RefreshSessionCommand, TokenPair> {
  constructor(
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly users: UserRepository,
    private readonly codec: RefreshTokenCodec,
    private readonly sessions: SessionIssuer,
    private readonly clock: Clock,
  ) {}

  async execute(command: RefreshSessionCommand): Promise<TokenPair | FailAfterCommit> {
    const token = await this.refreshTokens.findByHash(this.codec.hash(command.refreshToken));
    if (token === undefined) throw new InvalidRefreshTokenError();
    const now = this.clock.now();
    try {
      token.assertExchangeable(now);
      // The compare-and-set decides between concurrent exchanges of the same token: the loser is a re-use too.
      if (!(await this.refreshTokens.claim(token, now))) throw new RefreshTokenReusedError();
    } catch (error) {
      if (!(error instanceof RefreshTokenReusedError)) throw error;
      await this.refreshTokens.revokeFamily(token.familyId, now);
      return new FailAfterCommit(error);
    }
    const user = await this.users.findById(token.userId);
    if (user === undefined || !user.isActive) throw new InvalidRefreshTokenError();
    return this.sessions.issue(user, token.familyId);
  }
}
