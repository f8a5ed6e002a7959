import { identityFakes } from '../../../../../../test/support/fakes/identity-fakes.js';
import { SelfLockoutError, UserNotFoundError } from '../../../domain/identity.errors.js';
import type { Role } from '../../../domain/role.js';
import type { AssignableStatus } from '../../../domain/user-status.js';
import { UpdateUserCommand } from './update-user.command.js';
import { UpdateUserHandler } from './update-user.handler.js';

function setUp() {
  const fakes = identityFakes();
  const handler = new UpdateUserHandler(fakes.users, fakes.refreshTokens, fakes.clock);
  const admin = fakes.seedUser({ email: 'admin@example.com', roles: ['customer', 'admin'], version: 2 });
  const ada = fakes.seedUser({ email: 'ada@example.com', version: 5 });
  const update = async (
    actorId: string,
    userId: string,
    changes: { roles?: readonly Role[]; status?: AssignableStatus; displayName?: string },
  ) => fakes.run(handler, new UpdateUserCommand(actorId, userId, changes.roles, changes.status, changes.displayName));
  return { ...fakes, update, admin, ada };
}

describe('UpdateUserHandler', () => {
  describe('self-lockout (42210)', () => {
    it('an admin cannot remove their own admin role', async () => {
      const { update, admin, users } = setUp();
      const attempt = update(admin.id, admin.id, { roles: ['customer'] });
      await expect(attempt).rejects.toThrow(SelfLockoutError);
      await expect(attempt).rejects.toMatchObject({ code: 42210 });
      expect(users.stateOf(admin.id)?.roles).toEqual(['customer', 'admin']);
    });

    it('an admin cannot suspend themselves', async () => {
      const { update, admin, users, refreshTokens } = setUp();
      await expect(update(admin.id, admin.id, { status: 'suspended' })).rejects.toThrow(SelfLockoutError);
      expect(users.stateOf(admin.id)?.status).toBe('active');
      expect(refreshTokens.revokedUsers).toEqual([]);
    });

    it('an admin may still rename themselves or keep their roles', async () => {
      const { update, admin } = setUp();
      const view = await update(admin.id, admin.id, { displayName: 'Root', roles: ['admin'], status: 'active' });
      expect(view).toMatchObject({ displayName: 'Root', roles: ['admin'], status: 'active' });
    });
  });

  it('suspends another user and revokes all their refresh tokens', async () => {
    const { update, admin, ada, sessions, refreshTokens, unitOfWork } = setUp();
    await sessions.issue(ada);

    const view = await update(admin.id, ada.id, { status: 'suspended' });

    expect(view).toMatchObject({ status: 'suspended', version: 6 });
    expect(refreshTokens.revokedUsers).toEqual([ada.id]);
    expect([...refreshTokens.rows.values()].every((token) => token.revokedAt !== null)).toBe(true);
    expect(unitOfWork.published).toMatchObject([{ type: 'identity.user_status_changed', status: 'suspended' }]);
  });

  it('survives a deadlock: the retry starts from a fresh load, writes once and records one event', async () => {
    const { update, admin, ada, sessions, users, refreshTokens, unitOfWork } = setUp();
    await sessions.issue(ada);
    unitOfWork.simulateConflicts(1);

    const view = await update(admin.id, ada.id, { status: 'suspended' });

    expect([unitOfWork.runs, unitOfWork.rollbacks, unitOfWork.commits]).toEqual([2, 1, 1]);
    expect(view.version).toBe(6);
    expect(users.stateOf(ada.id)).toMatchObject({ status: 'suspended', version: 6 });
    expect(refreshTokens.revokedUsers).toEqual([ada.id]);
    expect(unitOfWork.publishedTypes()).toEqual(['identity.user_status_changed']);
  });

  it('leaves nothing behind when the transaction fails after the first write', async () => {
    const { update, admin, ada, sessions, users, refreshTokens, unitOfWork } = setUp();
    await sessions.issue(ada);
    const revokeAll = refreshTokens.revokeAllOfUser.bind(refreshTokens);
    refreshTokens.revokeAllOfUser = async (userId, now) => {
      await revokeAll(userId, now);
      throw new Error('connection lost');
    };

    await expect(update(admin.id, ada.id, { status: 'suspended' })).rejects.toThrow('connection lost');

    expect(users.stateOf(ada.id)).toMatchObject({ status: 'active', version: 5 });
    expect(refreshTokens.revokedUsers).toEqual([]);
    expect([...refreshTokens.rows.values()].every((token) => token.revokedAt === null)).toBe(true);
    expect(unitOfWork.published).toEqual([]);
  });

  it('reactivating a user revokes nothing', async () => {
    const { update, admin, seedUser, refreshTokens } = setUp();
    const eve = seedUser({ email: 'eve@example.com', status: 'suspended' });
    expect((await update(admin.id, eve.id, { status: 'active' })).status).toBe('active');
    expect(refreshTokens.revokedUsers).toEqual([]);
  });

  it('normalizes roles and bumps the version once for several changes', async () => {
    const { update, admin, ada, users, unitOfWork } = setUp();
    const view = await update(admin.id, ada.id, { roles: ['admin', 'customer', 'admin'], displayName: 'Ada L.' });
    expect(view).toMatchObject({ roles: ['customer', 'admin'], displayName: 'Ada L.', version: 6 });
    expect(users.stateOf(ada.id)?.version).toBe(6);
    expect(unitOfWork.publishedTypes().sort()).toEqual([
      'identity.user_profile_changed',
      'identity.user_roles_changed',
    ]);
  });

  it('changes nothing, and keeps the version, when the values are already set', async () => {
    const { update, admin, ada, users, unitOfWork } = setUp();
    const view = await update(admin.id, ada.id, { roles: ['customer'], displayName: 'Ada Lovelace', status: 'active' });
    expect(view.version).toBe(5);
    expect(users.writes).toBe(0);
    expect(unitOfWork.published).toEqual([]);
  });

  it('refuses unknown roles and invalid names before loading anything', async () => {
    const { update, admin, ada } = setUp();
    await expect(update(admin.id, ada.id, { roles: ['root'] as unknown as Role[] })).rejects.toMatchObject({
      code: 40000,
      violations: [{ field: 'roles' }],
    });
    await expect(update(admin.id, ada.id, { displayName: ' ' })).rejects.toMatchObject({
      violations: [{ field: 'displayName' }],
    });
  });

  it('answers 404 for an unknown user', async () => {
    const { update, admin } = setUp();
    await expect(update(admin.id, 'nobody', { status: 'suspended' })).rejects.toThrow(UserNotFoundError);
  });
});
