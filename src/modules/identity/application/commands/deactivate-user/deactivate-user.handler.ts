import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import type { TransactionalCommandHandler } from '../../../../../shared/application/transactional-command-handler.js';
import { UserNotFoundError } from '../../../domain/identity.errors.js';
import { RefreshTokenRepository } from '../../../domain/refresh-token.repository.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { toUserView, type UserView } from '../../user-view.js';
import { DeactivateUserCommand } from './deactivate-user.command.js';

/**
 * DELETE /users/:id: the account becomes `deleted` (kept for audit and email uniqueness). The aggregate refuses an
 * admin's own account (42210) and says that the sessions end; the refresh tokens are revoked here accordingly.
 */
@CommandHandler(DeactivateUserCommand)
export class DeactivateUserHandler implements TransactionalCommandHandler<DeactivateUserCommand, UserView> {
  constructor(
    private readonly users: UserRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly clock: Clock,
  ) {}

  async execute(command: DeactivateUserCommand): Promise<UserView> {
    const user = await this.users.findById(command.userId);
    if (user === undefined) throw new UserNotFoundError();
    const now = this.clock.now();
    const outcome = user.deactivateBy(command.actorId, now);
    await this.users.save(user);
    if (outcome.endsSessions) await this.refreshTokens.revokeAllOfUser(user.id, now);
    return toUserView(user);
  }
}
