import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import type { TransactionalCommandHandler } from '../../../../../shared/application/transactional-command-handler.js';
import { DisplayName } from '../../../domain/display-name.value-object.js';
import { UserNotFoundError } from '../../../domain/identity.errors.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { toUserView, type UserView } from '../../user-view.js';
import { UpdateMyProfileCommand } from './update-my-profile.command.js';

@CommandHandler(UpdateMyProfileCommand)
export class UpdateMyProfileHandler implements TransactionalCommandHandler<UpdateMyProfileCommand, UserView> {
  constructor(
    private readonly users: UserRepository,
    private readonly clock: Clock,
  ) {}

  async execute(command: UpdateMyProfileCommand): Promise<UserView> {
    const user = await this.users.findById(command.userId);
    if (user === undefined) throw new UserNotFoundError();
    if (command.displayName !== undefined) {
      user.changeDisplayName(DisplayName.create(command.displayName), this.clock.now());
    }
    await this.users.save(user);
    return toUserView(user);
  }
}
