import { DomainEvent } from '../../../shared/domain/domain-event.js';
import type { Role } from './role.js';
import type { UserStatus } from './user-status.js';

// Each payload is the published shape declared in ../contracts/identity.integration-events.ts (a unit test holds
// the two together). Every payload names the user: consumers of the broker see no aggregate id outside it.

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

  payload() {
    return { userId: this.aggregateId, email: this.email, displayName: this.displayName, roles: [...this.roles] };
  }
}

export class UserLoggedIn extends DomainEvent {
  readonly type = 'identity.user_logged_in';

  constructor(userId: string, occurredAt: Date) {
    super(userId, occurredAt);
  }

  payload() {
    return { userId: this.aggregateId };
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

  payload() {
    return { userId: this.aggregateId, displayName: this.displayName };
  }
}

export class UserPasswordChanged extends DomainEvent {
  readonly type = 'identity.user_password_changed';

  constructor(userId: string, occurredAt: Date) {
    super(userId, occurredAt);
  }

  payload() {
    return { userId: this.aggregateId };
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

  payload() {
    return { userId: this.aggregateId, roles: [...this.roles] };
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

  payload() {
    return { userId: this.aggregateId, status: this.status };
  }
}
