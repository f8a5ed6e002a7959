import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import type { TransactionalCommandHandler } from '../../../../../shared/application/transactional-command-handler.js';
import { SelfLockoutError, UserNotFoundError } from '../../../domain/identity.errors.js';
import { RefreshTokenRepository } from '../../../domain/refresh-token.repository.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { toUserView, type UserView } from '../../user-view.js';
import { DeactivateUserCommand } from './deactivate-user.command.js';

/** DELETE /users/:id: the account becomes `deleted` (kept for audit and email uniqueness), all tokens die. */
@CommandHandler(DeactivateUserCommand)
export class DeactivateUserHandler implements TransactionalCommandHandler<DeactivateUserCommand, UserView> {
  constructor(
    private readonly users: UserRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly clock: Clock,
  ) {}

  async execute(command: DeactivateUserCommand): Promise<UserView> {
    if (command.actorId === command.userId) throw new SelfLockoutError('delete');
    const user = await this.users.findById(command.userId);
    if (user === undefined) throw new UserNotFoundError();
    const now = this.clock.now();
    user.deactivate(now);
    await this.users.save(user);
    await this.refreshTokens.revokeAllOfUser(user.id, now);
    return toUserView(user);
  }
}
