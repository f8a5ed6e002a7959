import { DomainEvent } from '../../../shared/domain/domain-event.js';
import type { Role } from './role.js';
import type { UserStatus } from './user-status.js';

export class UserRegistered extends DomainEvent {
  readonly type = 'identity.user_registered';

  constructor(
    userId: string,
    occurredAt: Date,
    readonly email: string,
    readonly displayName: string,
    readonly roles: readonly Role[],
  ) {
    super(userId, occurredAt);
  }
}

export class UserLoggedIn extends DomainEvent {
  readonly type = 'identity.user_logged_in';

  constructor(userId: string, occurredAt: Date) {
    super(userId, occurredAt);
  }
}

export class UserProfileChanged extends DomainEvent {
  readonly type = 'identity.user_profile_changed';

  constructor(
    userId: string,
    occurredAt: Date,
    readonly displayName: string,
  ) {
    super(userId, occurredAt);
  }
}

export class UserPasswordChanged extends DomainEvent {
  readonly type = 'identity.user_password_changed';

  constructor(userId: string, occurredAt: Date) {
    super(userId, occurredAt);
  }
}

export class UserRolesChanged extends DomainEvent {
  readonly type = 'identity.user_roles_changed';

  constructor(
    userId: string,
    occurredAt: Date,
    readonly roles: readonly Role[],
  ) {
    super(userId, occurredAt);
  }
}

/** Suspension, reactivation and deletion (deactivation) all change what a user's tokens may do. */
export class UserStatusChanged extends DomainEvent {
  readonly type = 'identity.user_status_changed';

  constructor(
    userId: string,
    occurredAt: Date,
    readonly status: UserStatus,
  ) {
    super(userId, occurredAt);
  }
}
