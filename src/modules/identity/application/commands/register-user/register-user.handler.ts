import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../../../../shared/application/unit-of-work.js';
import { DuplicateError } from '../../../../../shared/domain/domain-error.js';
import { EmailAlreadyRegisteredError } from '../../../domain/identity.errors.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { UserFactory } from '../../user-factory.js';
import { toUserView, type UserView } from '../../user-view.js';
import { RegisterUserCommand } from './register-user.command.js';

/** Self-service sign-up: always a `customer`. Emits identity.user_registered. */
@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand> {
  constructor(
    private readonly factory: UserFactory,
    private readonly users: UserRepository,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async execute(command: RegisterUserCommand): Promise<UserView> {
    const user = await this.factory.create({ ...command, roles: ['customer'] });
    await saveNewUser(this.unitOfWork, this.users, user);
    return toUserView(user);
  }
}

/** A concurrent registration of the same email loses on the unique index: answer 409 with identity's message. */
export async function saveNewUser(
  unitOfWork: UnitOfWork,
  users: UserRepository,
  user: Parameters<UserRepository['save']>[0],
): Promise<void> {
  try {
    await unitOfWork.run(() => users.save(user));
  } catch (error) {
    if (error instanceof DuplicateError) throw new EmailAlreadyRegisteredError();
    throw error;
  }
}
