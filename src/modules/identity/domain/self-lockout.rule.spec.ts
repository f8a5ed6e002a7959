import { SelfLockoutError } from './identity.errors.js';
import { SelfLockoutRule, type LockoutRelevantChange } from './self-lockout.rule.js';

const check = (actorId: string, targetId: string, change: LockoutRelevantChange) => () =>
  SelfLockoutRule.assertRespected(actorId, targetId, change);

describe('SelfLockoutRule (42210)', () => {
  it.each([
    [{ roles: ['customer'] }, 'Admins cannot remove the admin role from their own account'],
    [{ status: 'suspended' }, 'Admins cannot suspend their own account'],
    [{ status: 'deleted' }, 'Admins cannot delete their own account'],
    [{ roles: ['customer'], status: 'suspended' }, 'Admins cannot remove the admin role from their own account'],
  ] as const)('refuses an admin %j on their own account', (change, message) => {
    expect(check('admin-1', 'admin-1', change)).toThrow(SelfLockoutError);
    expect(check('admin-1', 'admin-1', change)).toThrow(message);
    try {
      check('admin-1', 'admin-1', change)();
    } catch (error) {
      expect(error).toMatchObject({ code: 42210 });
    }
  });

  it.each([{ roles: ['admin'] }, { roles: ['customer', 'admin'] }, { status: 'active' }, {}] as const)(
    'lets an admin make the harmless change %j on their own account',
    (change) => {
      expect(check('admin-1', 'admin-1', change)).not.toThrow();
    },
  );

  it.each([{ roles: ['customer'] }, { status: 'suspended' }, { status: 'deleted' }] as const)(
    'lets an admin make %j on someone else’s account',
    (change) => {
      expect(check('admin-1', 'user-2', change)).not.toThrow();
    },
  );
});
