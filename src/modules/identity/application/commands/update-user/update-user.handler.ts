import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import type { TransactionalCommandHandler } from '../../../../../shared/application/transactional-command-handler.js';
import { DisplayName } from '../../../domain/display-name.value-object.js';
import { SelfLockoutError, UserNotFoundError } from '../../../domain/identity.errors.js';
import { RefreshTokenRepository } from '../../../domain/refresh-token.repository.js';
import { normalizeRoles } from '../../../domain/role.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { toUserView, type UserView } from '../../user-view.js';
import { UpdateUserCommand } from './update-user.command.js';

/**
 * Admin changes roles, status or display name. A suspension also revokes every refresh token; access tokens stop
 * working through the principal check the moment this commits (UserStatusChanged evicts the cached principal).
 */
@CommandHandler(UpdateUserCommand)
export class UpdateUserHandler implements TransactionalCommandHandler<UpdateUserCommand, UserView> {
  constructor(
    private readonly users: UserRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly clock: Clock,
  ) {}

  async execute(command: UpdateUserCommand): Promise<UserView> {
    const { changes } = command;
    const roles = changes.roles === undefined ? undefined : normalizeRoles(changes.roles);
    const displayName = changes.displayName === undefined ? undefined : DisplayName.create(changes.displayName);
    if (command.actorId === command.userId) {
      if (roles !== undefined && !roles.includes('admin')) throw new SelfLockoutError('remove the admin role from');
      if (changes.status === 'suspended') throw new SelfLockoutError('suspend');
    }
    const user = await this.users.findById(command.userId);
    if (user === undefined) throw new UserNotFoundError();
    const now = this.clock.now();
    if (displayName !== undefined) user.changeDisplayName(displayName, now);
    if (roles !== undefined) user.assignRoles(roles, now);
    if (changes.status !== undefined) user.setStatus(changes.status, now);
    await this.users.save(user);
    if (changes.status === 'suspended') await this.refreshTokens.revokeAllOfUser(user.id, now);
    return toUserView(user);
  }
}
