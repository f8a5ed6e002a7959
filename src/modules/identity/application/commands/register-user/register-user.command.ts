import { Command } from '@nestjs/cqrs';
import type { UserView } from '../../user-view.js';

export class RegisterUserCommand extends Command<UserView> {
  constructor(
    readonly email: string,
    readonly password: string,
    readonly displayName: string,
  ) {
    super();
  }
}
