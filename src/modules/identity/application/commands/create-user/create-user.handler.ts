import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../../../../shared/application/unit-of-work.js';
import { normalizeRoles } from '../../../domain/role.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { UserFactory } from '../../user-factory.js';
import { toUserView, type UserView } from '../../user-view.js';
import { saveNewUser } from '../register-user/register-user.handler.js';
import { CreateUserCommand } from './create-user.command.js';

/** Admin creates an account with chosen roles (default customer). */
@CommandHandler(CreateUserCommand)
export class CreateUserHandler implements ICommandHandler<CreateUserCommand> {
  constructor(
    private readonly factory: UserFactory,
    private readonly users: UserRepository,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async execute(command: CreateUserCommand): Promise<UserView> {
    const user = await this.factory.create({ ...command, roles: normalizeRoles(command.roles) });
    await saveNewUser(this.unitOfWork, this.users, user);
    return toUserView(user);
  }
}
