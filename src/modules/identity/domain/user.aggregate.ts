import { AggregateRoot } from '../../../shared/domain/aggregate-root.js';
import type { DisplayName } from './display-name.value-object.js';
import type { Email } from './email.value-object.js';
import { DeletedAccountError } from './identity.errors.js';
import {
  UserLoggedIn,
  UserPasswordChanged,
  UserProfileChanged,
  UserRegistered,
  UserRolesChanged,
  UserStatusChanged,
} from './identity.events.js';
import type { Role } from './role.js';
import { SelfLockoutRule } from './self-lockout.rule.js';
import { endsSessions, type AssignableStatus, type UserStatus } from './user-status.js';

export interface UserState {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly status: UserStatus;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What an admin asks of an account through PATCH /users/:id; absent fields stay as they are. */
export interface AccountAdministration {
  readonly displayName?: DisplayName;
  readonly roles?: readonly Role[];
  readonly status?: AssignableStatus;
}

/** What a status change means beyond the aggregate, for the application to carry out in the same transaction. */
export interface StatusChangeOutcome {
  /** Every refresh token of the user must be revoked (see `endsSessions` in user-status.ts). */
  readonly endsSessions: boolean;
}

/** A person who can sign in. Holds credentials (as a hash only), profile, roles and account status. */
export class User extends AggregateRoot {
  private constructor(
    id: string,
    private email: string,
    private passwordHash: string,
    private displayName: string,
    private roles: readonly Role[],
    private status: UserStatus,
    private readonly createdAt: Date,
    private updatedAt: Date,
    storedVersion?: number,
  ) {
    super(id, storedVersion);
  }

  static register(params: {
    id: string;
    email: Email;
    passwordHash: string;
    displayName: DisplayName;
    roles: readonly Role[];
    now: Date;
  }): User {
    const user = new User(
      params.id,
      params.email.value,
      params.passwordHash,
      params.displayName.value,
      params.roles,
      'active',
      params.now,
      params.now,
    );
    user.record(new UserRegistered(user.id, params.now, user.email, user.displayName, user.roles));
    return user;
  }

  static restore(state: UserState): User {
    return new User(
      state.id,
      state.email,
      state.passwordHash,
      state.displayName,
      state.roles,
      state.status,
      state.createdAt,
      state.updatedAt,
      state.version,
    );
  }

  get isActive(): boolean {
    return this.status === 'active';
  }

  get hashedPassword(): string {
    return this.passwordHash;
  }

  get emailAddress(): string {
    return this.email;
  }

  hasRole(role: Role): boolean {
    return this.roles.includes(role);
  }

  recordLogin(now: Date): void {
    this.record(new UserLoggedIn(this.id, now));
  }

  changeDisplayName(displayName: DisplayName, now: Date): void {
    this.assertNotDeleted();
    if (displayName.value === this.displayName) return;
    this.displayName = displayName.value;
    this.changed(now);
    this.record(new UserProfileChanged(this.id, now, this.displayName));
  }

  changePassword(passwordHash: string, now: Date): void {
    this.assertNotDeleted();
    this.passwordHash = passwordHash;
    this.changed(now);
    this.record(new UserPasswordChanged(this.id, now));
  }

  assignRoles(roles: readonly Role[], now: Date): void {
    this.assertNotDeleted();
    if (roles.length === this.roles.length && roles.every((role) => this.roles.includes(role))) return;
    this.roles = [...roles];
    this.changed(now);
    this.record(new UserRolesChanged(this.id, now, this.roles));
  }

  /**
   * An admin changes this account (PATCH /users/:id): display name, roles and status in one go, after the
   * self-lockout rule (42210) — nothing changes when it is broken. The outcome says whether the user's sessions end.
   */
  administer(actorId: string, changes: AccountAdministration, now: Date): StatusChangeOutcome {
    SelfLockoutRule.assertRespected(actorId, this.id, changes);
    if (changes.displayName !== undefined) this.changeDisplayName(changes.displayName, now);
    if (changes.roles !== undefined) this.assignRoles(changes.roles, now);
    return changes.status === undefined ? { endsSessions: false } : this.setStatus(changes.status, now);
  }

  /** An admin deletes this account (DELETE /users/:id), under the self-lockout rule. Always ends its sessions. */
  deactivateBy(actorId: string, now: Date): StatusChangeOutcome {
    SelfLockoutRule.assertRespected(actorId, this.id, { status: 'deleted' });
    return this.deactivate(now);
  }

  /**
   * A status change without an acting admin (the start-up bootstrap reactivating its admin). Setting the status
   * the account already has changes nothing but still reports whether that status holds sessions, so re-suspending
   * revokes any token that escaped the first time.
   */
  setStatus(status: AssignableStatus, now: Date): StatusChangeOutcome {
    this.moveTo(status, now);
    return { endsSessions: endsSessions(status) };
  }

  /** The account is deactivated, not erased; a deleted user stays deleted. Admins go through `deactivateBy`. */
  deactivate(now: Date): StatusChangeOutcome {
    this.moveTo('deleted', now);
    return { endsSessions: endsSessions('deleted') };
  }

  snapshot(): UserState {
    return {
      id: this.id,
      email: this.email,
      passwordHash: this.passwordHash,
      displayName: this.displayName,
      roles: this.roles,
      status: this.status,
      version: this.version,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
    };
  }

  private moveTo(status: UserStatus, now: Date): void {
    if (this.status === status) return;
    this.assertNotDeleted();
    this.status = status;
    this.changed(now);
    this.record(new UserStatusChanged(this.id, now, status));
  }

  private assertNotDeleted(): void {
    if (this.status === 'deleted') throw new DeletedAccountError();
  }

  private changed(now: Date): void {
    this.updatedAt = now;
    this.touch();
  }
}
