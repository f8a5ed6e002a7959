import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import type { TransactionalCommandHandler } from '../../../../../shared/application/transactional-command-handler.js';
import { DisplayName } from '../../../domain/display-name.value-object.js';
import { UserNotFoundError } from '../../../domain/identity.errors.js';
import { RefreshTokenRepository } from '../../../domain/refresh-token.repository.js';
import { normalizeRoles } from '../../../domain/role.js';
import type { AccountAdministration } from '../../../domain/user.aggregate.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { toUserView, type UserView } from '../../user-view.js';
import { UpdateUserCommand } from './update-user.command.js';

/**
 * Admin changes roles, status or display name. The rules (self-lockout, which statuses end sessions) are the
 * aggregate's; this handler revokes the refresh tokens when it says so. Access tokens stop working through the
 * principal check the moment this commits (UserStatusChanged evicts the cached principal).
 */
@CommandHandler(UpdateUserCommand)
export class UpdateUserHandler implements TransactionalCommandHandler<UpdateUserCommand, UserView> {
  constructor(
    private readonly users: UserRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly clock: Clock,
  ) {}

  async execute(command: UpdateUserCommand): Promise<UserView> {
    // Values are checked before anything is loaded: a bad role or name is 40000 whoever the target is.
    const changes: AccountAdministration = {
      roles: command.roles === undefined ? undefined : normalizeRoles(command.roles),
      displayName: command.displayName === undefined ? undefined : DisplayName.create(command.displayName),
      status: command.status,
    };
    const user = await this.users.findById(command.userId);
    if (user === undefined) throw new UserNotFoundError();
    const now = this.clock.now();
    const outcome = user.administer(command.actorId, changes, now);
    await this.users.save(user);
    if (outcome.endsSessions) await this.refreshTokens.revokeAllOfUser(user.id, now);
    return toUserView(user);
  }
}
