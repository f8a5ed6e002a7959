import { SelfLockoutError } from './identity.errors.js';
import type { Role } from './role.js';
import type { UserStatus } from './user-status.js';

/** What an admin asks to change on an account, as far as the rule is concerned. */
export interface LockoutRelevantChange {
  readonly roles?: readonly Role[];
  readonly status?: UserStatus;
}

/**
 * Business rule (42210): an admin may not lock themselves out — remove their own admin role, suspend or delete their
 * own account. Another admin has to do it, so the last admin cannot leave the service without one by accident.
 * Changes to someone else's account, and harmless changes to one's own (a new name, roles that keep `admin`,
 * status `active`), pass.
 */
export const SelfLockoutRule = {
  assertRespected(actorId: string, targetId: string, change: LockoutRelevantChange): void {
    if (actorId !== targetId) return;
    if (change.roles !== undefined && !change.roles.includes('admin')) {
      throw new SelfLockoutError('remove the admin role from');
    }
    if (change.status === 'suspended') throw new SelfLockoutError('suspend');
    if (change.status === 'deleted') throw new SelfLockoutError('delete');
  },
} as const;
