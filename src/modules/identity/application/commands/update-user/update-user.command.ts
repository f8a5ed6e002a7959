import { Command } from '@nestjs/cqrs';
import type { Role } from '../../../domain/role.js';
import type { AssignableStatus } from '../../../domain/user-status.js';
import type { UserView } from '../../user-view.js';

export interface UserChanges {
  readonly roles?: readonly Role[];
  readonly status?: AssignableStatus;
  readonly displayName?: string;
}

export class UpdateUserCommand extends Command<UserView> {
  constructor(
    readonly actorId: string,
    readonly userId: string,
    readonly changes: UserChanges,
  ) {
    super();
  }
}
