import { isRole, type Role } from '../../domain/role.js';
import { User } from '../../domain/user.aggregate.js';
import { USER_STATUSES, type UserStatus } from '../../domain/user-status.js';
import type { UserView } from '../../application/user-view.js';
import { UserOrmEntity } from './user.orm-entity.js';

/** Translates between the identity_users row and the User aggregate / UserView. */
export const UserMapper = {
  toDomain: (row: UserOrmEntity): User => {
    return User.restore({
      id: row.id,
      email: row.email,
      passwordHash: row.passwordHash,
      displayName: row.displayName,
      roles: parseRoles(row.roles),
      status: parseStatus(row.status),
      version: row.version,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    });
  },

  toRow: (user: User): UserOrmEntity => {
    const state = user.snapshot();
    const row = new UserOrmEntity();
    row.id = state.id;
    row.email = state.email;
    row.passwordHash = state.passwordHash;
    row.displayName = state.displayName;
    row.roles = state.roles.join(',');
    row.status = state.status;
    row.version = state.version;
    row.createdAt = state.createdAt;
    row.updatedAt = state.updatedAt;
    return row;
  },

  toView: (row: UserOrmEntity): UserView => {
    return {
      id: row.id,
      email: row.email,
      displayName: row.displayName,
      roles: parseRoles(row.roles),
      status: parseStatus(row.status),
      version: row.version,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  },
};

function parseRoles(raw: string): Role[] {
  return raw.split(',').filter(isRole);
}

function parseStatus(raw: string): UserStatus {
  if ((USER_STATUSES as readonly string[]).includes(raw)) return raw as UserStatus;
  throw new Error(`identity_users.status holds an unknown value "${raw}"`);
}
