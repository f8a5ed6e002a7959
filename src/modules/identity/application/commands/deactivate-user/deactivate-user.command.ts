import { Command } from '@nestjs/cqrs';
import type { UserView } from '../../user-view.js';

export class DeactivateUserCommand extends Command<UserView> {
  constructor(
    readonly actorId: string,
    readonly userId: string,
  ) {
    super();
  }
}
