import { identityFakes } from '../../../../../../test/support/fakes/identity-fakes.js';
import { SelfLockoutError, UserNotFoundError } from '../../../domain/identity.errors.js';
import { DeactivateUserCommand } from './deactivate-user.command.js';
import { DeactivateUserHandler } from './deactivate-user.handler.js';

function setUp() {
  const fakes = identityFakes();
  const handler = new DeactivateUserHandler(fakes.users, fakes.refreshTokens, fakes.clock);
  const admin = fakes.seedUser({ email: 'admin@example.com', roles: ['customer', 'admin'] });
  const ada = fakes.seedUser({ email: 'ada@example.com' });
  const deactivate = async (actorId: string, userId: string) =>
    fakes.run(handler, new DeactivateUserCommand(actorId, userId));
  return { ...fakes, deactivate, admin, ada };
}

describe('DeactivateUserHandler', () => {
  it('an admin cannot delete their own account (42210)', async () => {
    const { deactivate, admin, users, refreshTokens } = setUp();
    const attempt = deactivate(admin.id, admin.id);
    await expect(attempt).rejects.toThrow(SelfLockoutError);
    await expect(attempt).rejects.toMatchObject({ code: 42210 });
    expect(users.stateOf(admin.id)?.status).toBe('active');
    expect(refreshTokens.revokedUsers).toEqual([]);
  });

  it('marks another user deleted, keeps the row and revokes all their refresh tokens', async () => {
    const { deactivate, admin, ada, users, sessions, refreshTokens, unitOfWork } = setUp();
    await sessions.issue(ada);

    const view = await deactivate(admin.id, ada.id);

    expect(view).toMatchObject({ id: ada.id, status: 'deleted', version: 2 });
    expect(users.stateOf(ada.id)).toMatchObject({ status: 'deleted', email: 'ada@example.com' });
    expect(refreshTokens.revokedUsers).toEqual([ada.id]);
    expect([...refreshTokens.rows.values()].every((token) => token.revokedAt !== null)).toBe(true);
    expect(unitOfWork.published).toMatchObject([{ type: 'identity.user_status_changed', status: 'deleted' }]);
  });

  it('deleting a deleted user again changes nothing', async () => {
    const { deactivate, admin, ada, users } = setUp();
    await deactivate(admin.id, ada.id);
    const view = await deactivate(admin.id, ada.id);
    expect(view.version).toBe(2);
    expect(users.writes).toBe(1);
  });

  it('answers 404 for an unknown user', async () => {
    const { deactivate, admin } = setUp();
    await expect(deactivate(admin.id, 'nobody')).rejects.toThrow(UserNotFoundError);
  });
});
