import { Command } from '@nestjs/cqrs';
import type { Role } from '../../../domain/role.js';
import type { UserView } from '../../user-view.js';

export class CreateUserCommand extends Command<UserView> {
  constructor(
    readonly email: string,
    readonly password: string,
    readonly displayName: string,
    readonly roles: readonly Role[],
  ) {
    super();
  }
}
