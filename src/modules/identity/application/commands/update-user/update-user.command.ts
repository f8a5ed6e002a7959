import { Command } from '@nestjs/cqrs';
import type { Role } from '../../../domain/role.js';
import type { AssignableStatus } from '../../../domain/user-status.js';
import type { UserView } from '../../user-view.js';

/** An admin's change to one account; an undefined field stays as it is. */
export class UpdateUserCommand extends Command<UserView> {
  constructor(
    readonly actorId: string,
    readonly userId: string,
    readonly roles: readonly Role[] | undefined,
    readonly status: AssignableStatus | undefined,
    readonly displayName: string | undefined,
  ) {
    super();
  }
}
