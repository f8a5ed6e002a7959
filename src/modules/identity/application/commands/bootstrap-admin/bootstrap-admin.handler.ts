import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import { UnitOfWork } from '../../../../../shared/application/unit-of-work.js';
import { DuplicateError } from '../../../../../shared/domain/domain-error.js';
import { Email } from '../../../domain/email.value-object.js';
import { UserNotFoundError } from '../../../domain/identity.errors.js';
import { normalizeRoles } from '../../../domain/role.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { PasswordHasher } from '../../ports/password-hasher.js';
import { UserFactory } from '../../user-factory.js';
import { BootstrapAdminCommand, type BootstrapOutcome } from './bootstrap-admin.command.js';

/**
 * ADMIN_EMAIL / ADMIN_PASSWORD at start: create that admin, or promote the existing account, make it active and
 * reset its password to the configured one. Idempotent: a second start with the same values changes nothing
 * (no version bump), and two instances starting together end with one admin (the loser retries as "promote").
 */
@CommandHandler(BootstrapAdminCommand)
export class BootstrapAdminHandler implements ICommandHandler<BootstrapAdminCommand> {
  constructor(
    private readonly users: UserRepository,
    private readonly factory: UserFactory,
    private readonly hasher: PasswordHasher,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute(command: BootstrapAdminCommand): Promise<BootstrapOutcome> {
    try {
      return await this.bootstrap(command);
    } catch (error) {
      if (error instanceof DuplicateError) return this.bootstrap(command);
      throw error;
    }
  }

  private async bootstrap(command: BootstrapAdminCommand): Promise<BootstrapOutcome> {
    const existing = await this.users.findByEmail(Email.create(command.email, 'ADMIN_EMAIL'));
    if (existing === undefined) {
      const admin = await this.factory.create({
        email: command.email,
        password: command.password,
        displayName: 'Administrator',
        roles: ['customer', 'admin'],
      });
      await this.unitOfWork.run(() => this.users.save(admin));
      return 'created';
    }
    const passwordMatches = await this.hasher.verify(existing.hashedPassword, command.password);
    const newHash = passwordMatches ? undefined : await this.hasher.hash(command.password);
    return this.unitOfWork.run(async () => {
      // Loaded again inside the transaction (see UnitOfWork), so a retried attempt changes a fresh copy.
      const admin = await this.users.findById(existing.id);
      if (admin === undefined) throw new UserNotFoundError();
      const now = this.clock.now();
      admin.assignRoles(normalizeRoles([...admin.snapshot().roles, 'admin']), now);
      if (admin.snapshot().status === 'suspended') admin.setStatus('active', now);
      if (newHash !== undefined) admin.changePassword(newHash, now);
      if (!admin.hasUnsavedChanges) return 'unchanged';
      await this.users.save(admin);
      return 'promoted';
    });
  }
}
