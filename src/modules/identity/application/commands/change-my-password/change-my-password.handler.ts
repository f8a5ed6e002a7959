import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import { UnitOfWork } from '../../../../../shared/application/unit-of-work.js';
import { ConcurrentUpdateError, ValidationFailedError } from '../../../../../shared/domain/domain-error.js';
import { UserNotFoundError } from '../../../domain/identity.errors.js';
import { assertAcceptablePassword } from '../../../domain/password-policy.js';
import { RefreshTokenRepository } from '../../../domain/refresh-token.repository.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { PasswordHasher } from '../../ports/password-hasher.js';
import { ChangeMyPasswordCommand } from './change-my-password.command.js';

/** Requires the current password; afterwards every refresh token of the user is revoked (§4a). */
@CommandHandler(ChangeMyPasswordCommand)
export class ChangeMyPasswordHandler implements ICommandHandler<ChangeMyPasswordCommand> {
  constructor(
    private readonly users: UserRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly hasher: PasswordHasher,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(command: ChangeMyPasswordCommand): Promise<void> {
    assertAcceptablePassword(command.newPassword, 'newPassword');
    const user = await this.users.findById(command.userId);
    if (user === undefined) throw new UserNotFoundError();
    if (!(await this.hasher.verify(user.hashedPassword, command.currentPassword))) {
      throw ValidationFailedError.forField('currentPassword', 'does not match the current password');
    }
    const newHash = await this.hasher.hash(command.newPassword);
    const verifiedVersion = user.version;
    await this.unitOfWork.run(async () => {
      // Loaded again inside the transaction (see UnitOfWork); a change since the verification is a 409.
      const current = await this.users.findById(command.userId);
      if (current === undefined) throw new UserNotFoundError();
      if (current.version !== verifiedVersion) throw new ConcurrentUpdateError();
      const now = this.clock.now();
      current.changePassword(newHash, now);
      await this.users.save(current);
      await this.refreshTokens.revokeAllOfUser(current.id, now);
    });
  }
}
