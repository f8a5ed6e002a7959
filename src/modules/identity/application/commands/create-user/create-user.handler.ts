import { CommandHandler } from '@nestjs/cqrs';
import type { TransactionalCommandHandler } from '../../../../../shared/application/transactional-command-handler.js';
import { normalizeRoles } from '../../../domain/role.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { UserFactory, type PreparedUser } from '../../user-factory.js';
import { toUserView, type UserView } from '../../user-view.js';
import { CreateUserCommand } from './create-user.command.js';

/** Admin creates an account with chosen roles (default customer). */
@CommandHandler(CreateUserCommand)
export class CreateUserHandler implements TransactionalCommandHandler<CreateUserCommand, UserView, PreparedUser> {
  constructor(
    private readonly factory: UserFactory,
    private readonly users: UserRepository,
  ) {}

  prepare(command: CreateUserCommand): Promise<PreparedUser> {
    return this.factory.prepare({
      email: command.email,
      password: command.password,
      displayName: command.displayName,
      roles: normalizeRoles(command.roles),
    });
  }

  async execute(_command: CreateUserCommand, prepared: PreparedUser): Promise<UserView> {
    const user = this.factory.build(prepared);
    await this.users.save(user);
    return toUserView(user);
  }
}
