import { CommandHandler } from '@nestjs/cqrs';
import type { TransactionalCommandHandler } from '../../../../../shared/application/transactional-command-handler.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { UserFactory, type PreparedUser } from '../../user-factory.js';
import { toUserView, type UserView } from '../../user-view.js';
import { RegisterUserCommand } from './register-user.command.js';

/** Self-service sign-up: always a `customer`. Emits identity.user_registered. */
@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements TransactionalCommandHandler<RegisterUserCommand, UserView, PreparedUser> {
  constructor(
    private readonly factory: UserFactory,
    private readonly users: UserRepository,
  ) {}

  prepare(command: RegisterUserCommand): Promise<PreparedUser> {
    return this.factory.prepare({
      email: command.email,
      password: command.password,
      displayName: command.displayName,
      roles: ['customer'],
    });
  }

  async execute(_command: RegisterUserCommand, prepared: PreparedUser): Promise<UserView> {
    const user = this.factory.build(prepared);
    await this.users.save(user);
    return toUserView(user);
  }
}
