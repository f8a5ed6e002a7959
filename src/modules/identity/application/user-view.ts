import type { Role } from '../domain/role.js';
import type { User } from '../domain/user.aggregate.js';
import type { UserStatus } from '../domain/user-status.js';

/** The public representation of a user, shared by command results and queries. Never contains the hash. */
export interface UserView {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly status: UserStatus;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function toUserView(user: User): UserView {
  const state = user.snapshot();
  return {
    id: state.id,
    email: state.email,
    displayName: state.displayName,
    roles: state.roles,
    status: state.status,
    version: state.version,
    createdAt: state.createdAt.toISOString(),
    updatedAt: state.updatedAt.toISOString(),
  };
}
