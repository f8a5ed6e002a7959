import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import type { TransactionalCommandHandler } from '../../../../../shared/application/transactional-command-handler.js';
import { Email } from '../../../domain/email.value-object.js';
import { UserNotFoundError } from '../../../domain/identity.errors.js';
import { normalizeRoles } from '../../../domain/role.js';
import { UserRepository } from '../../../domain/user.repository.js';
import { PasswordHasher } from '../../ports/password-hasher.js';
import { UserFactory, type PreparedUser } from '../../user-factory.js';
import { BootstrapAdminCommand, type BootstrapOutcome } from './bootstrap-admin.command.js';

type Plan =
  | { readonly kind: 'create'; readonly prepared: PreparedUser }
  | { readonly kind: 'promote'; readonly userId: string; readonly newHash: string | undefined };

/**
 * ADMIN_EMAIL / ADMIN_PASSWORD at start: create that admin, or promote the existing account, make it active and
 * reset its password to the configured one. Idempotent: a second start with the same values changes nothing
 * (no version bump). Two instances starting together: one creates, the other's insert hits the unique email and
 * fails with 40900 — the caller runs the command again, and it promotes (see IdentityStartup).
 */
@CommandHandler(BootstrapAdminCommand)
export class BootstrapAdminHandler implements TransactionalCommandHandler<
  BootstrapAdminCommand,
  BootstrapOutcome,
  Plan
> {
  constructor(
    private readonly users: UserRepository,
    private readonly factory: UserFactory,
    private readonly hasher: PasswordHasher,
    private readonly clock: Clock,
  ) {}

  /** Hashing and password checks, outside the transaction. */
  async prepare(command: BootstrapAdminCommand): Promise<Plan> {
    const existing = await this.users.findByEmail(Email.create(command.email, 'ADMIN_EMAIL'));
    if (existing === undefined) {
      const prepared = await this.factory.prepare({
        email: command.email,
        password: command.password,
        displayName: 'Administrator',
        roles: ['customer', 'admin'],
      });
      return { kind: 'create', prepared };
    }
    const passwordMatches = await this.hasher.verify(existing.hashedPassword, command.password);
    return {
      kind: 'promote',
      userId: existing.id,
      newHash: passwordMatches ? undefined : await this.hasher.hash(command.password),
    };
  }

  async execute(_command: BootstrapAdminCommand, plan: Plan): Promise<BootstrapOutcome> {
    if (plan.kind === 'create') {
      await this.users.save(this.factory.build(plan.prepared));
      return 'created';
    }
    const admin = await this.users.findById(plan.userId);
    if (admin === undefined) throw new UserNotFoundError();
    const now = this.clock.now();
    admin.assignRoles(normalizeRoles([...admin.snapshot().roles, 'admin']), now);
    if (admin.snapshot().status === 'suspended') admin.setStatus('active', now);
    if (plan.newHash !== undefined) admin.changePassword(plan.newHash, now);
    if (!admin.hasUnsavedChanges) return 'unchanged';
    await this.users.save(admin);
    return 'promoted';
  }
}
