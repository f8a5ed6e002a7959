import { Command } from '@nestjs/cqrs';
import type { UserView } from '../../user-view.js';

export class UpdateMyProfileCommand extends Command<UserView> {
  constructor(
    readonly userId: string,
    readonly displayName: string | undefined,
  ) {
    super();
  }
}
