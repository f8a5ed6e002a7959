import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock.js';
import { IdGenerator } from '../../../shared/application/id-generator.js';
import { ValidationFailedError, type FieldViolation } from '../../../shared/domain/domain-error.js';
import { DisplayName } from '../domain/display-name.value-object.js';
import { Email } from '../domain/email.value-object.js';
import { EmailAlreadyRegisteredError } from '../domain/identity.errors.js';
import { assertAcceptablePassword } from '../domain/password-policy.js';
import type { Role } from '../domain/role.js';
import { User } from '../domain/user.aggregate.js';
import { UserRepository } from '../domain/user.repository.js';
import { PasswordHasher } from './ports/password-hasher.js';

export interface NewUserInput {
  readonly email: string;
  readonly password: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
}

/** Everything a new account needs, checked and hashed, before any transaction starts. */
export interface PreparedUser {
  readonly email: Email;
  readonly displayName: DisplayName;
  readonly passwordHash: string;
  readonly roles: readonly Role[];
}

/**
 * Registration and admin creation share this. `prepare` (a handler's prepare step, outside any transaction):
 * validate every field at once, refuse a known email early (so the slow hash is not spent on it), hash. `build`
 * (inside the transaction): the aggregate, with its id and time. The unique index still decides races between
 * concurrent registrations (the repository answers EmailAlreadyRegisteredError).
 */
@Injectable()
export class UserFactory {
  constructor(
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
  ) {}

  async prepare(input: NewUserInput): Promise<PreparedUser> {
    const violations: FieldViolation[] = [];
    const email = collect(violations, () => Email.create(input.email));
    const displayName = collect(violations, () => DisplayName.create(input.displayName));
    collect(violations, () => assertAcceptablePassword(input.password));
    if (email === undefined || displayName === undefined || violations.length > 0) {
      throw new ValidationFailedError(violations);
    }
    if ((await this.users.findByEmail(email)) !== undefined) throw new EmailAlreadyRegisteredError();
    const passwordHash = await this.hasher.hash(input.password);
    return { email, displayName, passwordHash, roles: input.roles };
  }

  build(prepared: PreparedUser): User {
    return User.register({ id: this.ids.next(), ...prepared, now: this.clock.now() });
  }
}

function collect<T>(violations: FieldViolation[], build: () => T): T | undefined {
  try {
    return build();
  } catch (error) {
    if (error instanceof ValidationFailedError) {
      violations.push(...error.violations);
      return undefined;
    }
    throw error;
  }
}
