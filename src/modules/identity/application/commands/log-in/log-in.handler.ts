import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import type { TransactionalCommandHandler } from '../../../../../shared/application/transactional-command-handler.js';
import { ValidationFailedError } from '../../../../../shared/domain/domain-error.js';
import { Email } from '../../../domain/email.value-object.js';
import { InvalidCredentialsError } from '../../../domain/identity.errors.js';
import type { User } from '../../../domain/user.aggregate.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { PasswordHasher } from '../../ports/password-hasher.js';
import { SessionIssuer } from '../../session-issuer.js';
import type { TokenPair } from '../../token-pair.js';
import { LogInCommand } from './log-in.command.js';

/**
 * Exchanges email + password for a token pair starting a new refresh-token family. Unknown email, wrong
 * password and an inactive account all answer the same 40100, and take the same time (decoy verification).
 * The password check is the prepare step: ~25 ms of hashing must not hold a transaction open.
 */
@CommandHandler(LogInCommand)
export class LogInHandler implements TransactionalCommandHandler<LogInCommand, TokenPair, string> {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionIssuer,
    private readonly clock: Clock,
  ) {}

  /** Resolves to the id of the user whose password matched. */
  async prepare(command: LogInCommand): Promise<string> {
    return (await this.authenticate(command.email, command.password)).id;
  }

  async execute(_command: LogInCommand, userId: string): Promise<TokenPair> {
    const user = await this.users.findById(userId);
    // Suspended or deleted between the password check and now: the same answer as a wrong password.
    if (user === undefined || !user.isActive) throw new InvalidCredentialsError();
    user.recordLogin(this.clock.now());
    await this.users.save(user);
    return this.sessions.issue(user);
  }

  private async authenticate(rawEmail: string, password: string): Promise<User> {
    let user: User | undefined;
    try {
      user = await this.users.findByEmail(Email.create(rawEmail));
    } catch (error) {
      if (!(error instanceof ValidationFailedError)) throw error;
    }
    if (user === undefined) {
      await this.hasher.verifyAgainstDecoy(password);
      throw new InvalidCredentialsError();
    }
    const matches = await this.hasher.verify(user.hashedPassword, password);
    if (!matches || !user.isActive) throw new InvalidCredentialsError();
    return user;
  }
}
