import { identityFakes } from '../../../../../../test/support/fakes/identity-fakes.js';
import { ValidationFailedError } from '../../../../../shared/domain/domain-error.js';
import { UserNotFoundError } from '../../../domain/identity.errors.js';
import { ChangeMyPasswordCommand } from './change-my-password.command.js';
import { ChangeMyPasswordHandler } from './change-my-password.handler.js';

const CURRENT = 'correct horse battery';

function setUp() {
  const fakes = identityFakes();
  const handler = new ChangeMyPasswordHandler(fakes.users, fakes.refreshTokens, fakes.hasher, fakes.clock);
  const ada = fakes.seedUser({ password: CURRENT, version: 3 });
  const change = async (currentPassword: string, newPassword: string, userId = ada.id) =>
    fakes.run(handler, new ChangeMyPasswordCommand(userId, currentPassword, newPassword));
  return { ...fakes, change, ada };
}

const onField = (field: string) =>
  expect.objectContaining({ code: 40000, violations: [expect.objectContaining({ field })] });

describe('ChangeMyPasswordHandler', () => {
  it('refuses a wrong current password on field currentPassword and changes nothing', async () => {
    const { change, ada, users, refreshTokens, hasher } = setUp();
    const attempt = change('not my password', 'a brand new password');
    await expect(attempt).rejects.toThrow(ValidationFailedError);
    await expect(attempt).rejects.toEqual(onField('currentPassword'));
    expect(users.stateOf(ada.id)?.passwordHash).toBe(`hashed:${CURRENT}`);
    expect(refreshTokens.revokedUsers).toEqual([]);
    expect(hasher.hashed).toEqual([]);
  });

  it('refuses an unacceptable new password on field newPassword', async () => {
    await expect(setUp().change(CURRENT, 'short')).rejects.toEqual(onField('newPassword'));
  });

  it('stores the new hash, bumps the version once and revokes every refresh token of the user', async () => {
    const { change, ada, users, refreshTokens, sessions, unitOfWork } = setUp();
    await sessions.issue(ada);
    await sessions.issue(ada);

    await change(CURRENT, 'a brand new password');

    expect(users.stateOf(ada.id)).toMatchObject({ passwordHash: 'hashed:a brand new password', version: 4 });
    expect(refreshTokens.revokedUsers).toEqual([ada.id]);
    expect(refreshTokens.rows.size).toBe(2);
    expect([...refreshTokens.rows.values()].every((token) => token.revokedAt !== null)).toBe(true);
    expect(unitOfWork.publishedTypes()).toEqual(['identity.user_password_changed']);
  });

  it('answers 404 for an unknown user', async () => {
    await expect(setUp().change(CURRENT, 'a brand new password', 'nobody')).rejects.toThrow(UserNotFoundError);
  });
});
