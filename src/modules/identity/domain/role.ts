import { ValidationFailedError } from '../../../shared/domain/domain-error.js';

export const ROLES = ['customer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** A non-empty, duplicate-free, canonically ordered role list. */
export function normalizeRoles(roles: readonly string[], field = 'roles'): Role[] {
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length > 0) throw ValidationFailedError.forField(field, `unknown role(s): ${unknown.join(', ')}`);
  if (roles.length === 0) throw ValidationFailedError.forField(field, 'must contain at least one role');
  return ROLES.filter((role) => roles.includes(role));
}
