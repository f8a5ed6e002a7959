import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import type { TransactionalCommandHandler } from '../../../../../shared/application/transactional-command-handler.js';
import { ConcurrentUpdateError, ValidationFailedError } from '../../../../../shared/domain/domain-error.js';
import { UserNotFoundError } from '../../../domain/identity.errors.js';
import { assertAcceptablePassword } from '../../../domain/password-policy.js';
import { RefreshTokenRepository } from '../../../domain/refresh-token.repository.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { PasswordHasher } from '../../ports/password-hasher.js';
import { ChangeMyPasswordCommand } from './change-my-password.command.js';

interface VerifiedChange {
  readonly newHash: string;
  /** The version whose password was verified: any change since then is a 409, not a silent overwrite. */
  readonly verifiedVersion: number;
}

/**
 * Requires the current password; afterwards every refresh token of the user is revoked (§4a). Verifying the old
 * password and hashing the new one happen in the prepare step, outside the transaction.
 */
@CommandHandler(ChangeMyPasswordCommand)
export class ChangeMyPasswordHandler implements TransactionalCommandHandler<
  ChangeMyPasswordCommand,
  void,
  VerifiedChange
> {
  constructor(
    private readonly users: UserRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  async prepare(command: ChangeMyPasswordCommand): Promise<VerifiedChange> {
    assertAcceptablePassword(command.newPassword, 'newPassword');
    const user = await this.users.findById(command.userId);
    if (user === undefined) throw new UserNotFoundError();
    if (!(await this.hasher.verify(user.hashedPassword, command.currentPassword))) {
      throw ValidationFailedError.forField('currentPassword', 'does not match the current password');
    }
    return { newHash: await this.hasher.hash(command.newPassword), verifiedVersion: user.version };
  }

  async execute(command: ChangeMyPasswordCommand, { newHash, verifiedVersion }: VerifiedChange): Promise<void> {
    const user = await this.users.findById(command.userId);
    if (user === undefined) throw new UserNotFoundError();
    if (user.version !== verifiedVersion) throw new ConcurrentUpdateError();
    const now = this.clock.now();
    user.changePassword(newHash, now);
    await this.users.save(user);
    await this.refreshTokens.revokeAllOfUser(user.id, now);
  }
}
