import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import { UnitOfWork } from '../../../../../shared/application/unit-of-work.js';
import { SelfLockoutError, UserNotFoundError } from '../../../domain/identity.errors.js';
import { RefreshTokenRepository } from '../../../domain/refresh-token.repository.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { toUserView, type UserView } from '../../user-view.js';
import { DeactivateUserCommand } from './deactivate-user.command.js';

/** DELETE /users/:id: the account becomes `deleted` (kept for audit and email uniqueness), all tokens die. */
@CommandHandler(DeactivateUserCommand)
export class DeactivateUserHandler implements ICommandHandler<DeactivateUserCommand> {
  constructor(
    private readonly users: UserRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(command: DeactivateUserCommand): Promise<UserView> {
    if (command.actorId === command.userId) throw new SelfLockoutError('delete');
    return this.unitOfWork.run(async () => {
      const user = await this.users.findById(command.userId);
      if (user === undefined) throw new UserNotFoundError();
      const now = this.clock.now();
      user.deactivate(now);
      await this.users.save(user);
      await this.refreshTokens.revokeAllOfUser(user.id, now);
      return toUserView(user);
    });
  }
}
