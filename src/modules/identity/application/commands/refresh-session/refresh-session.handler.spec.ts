import { identityFakes, REFRESH_TOKEN_TTL_MS } from '../../../../../../test/support/fakes/identity-fakes.js';
import {
  InvalidRefreshTokenError,
  RefreshTokenExpiredError,
  RefreshTokenReusedError,
} from '../../../domain/identity.errors.js';
import { RefreshSessionCommand } from './refresh-session.command.js';
import { RefreshSessionHandler } from './refresh-session.handler.js';

async function setUp() {
  const fakes = identityFakes();
  const handler = new RefreshSessionHandler(fakes.refreshTokens, fakes.users, fakes.codec, fakes.sessions, fakes.clock);
  const refresh = async (raw: string) => fakes.run(handler, new RefreshSessionCommand(raw));
  const ada = fakes.seedUser({ email: 'ada@example.com' });
  const login = await fakes.sessions.issue(ada);
  const familyId = fakes.codec.familyOf(login.refreshToken) ?? '';
  return { ...fakes, refresh, ada, login, familyId };
}

describe('RefreshSessionHandler', () => {
  it('exchanges a token for a new pair in the same family and spends the old token', async () => {
    const { refresh, login, familyId, codec, refreshTokens, clock } = await setUp();
    const pair = await refresh(login.refreshToken);

    expect(pair.tokenType).toBe('Bearer');
    expect(pair.refreshToken).not.toBe(login.refreshToken);
    expect(codec.familyOf(pair.refreshToken)).toBe(familyId);
    const [old, next] = refreshTokens.tokensOfFamily(familyId);
    expect(old).toMatchObject({ tokenHash: codec.hash(login.refreshToken), usedAt: clock.now(), revokedAt: null });
    expect(next).toMatchObject({ tokenHash: codec.hash(pair.refreshToken), usedAt: null, revokedAt: null });
    expect(refreshTokens.revokedFamilies).toEqual([]);
  });

  it('treats a spent token coming back as re-use: 40102 and the whole family revoked', async () => {
    const { refresh, login, familyId, refreshTokens } = await setUp();
    const rotated = await refresh(login.refreshToken);

    const replay = refresh(login.refreshToken);
    await expect(replay).rejects.toThrow(RefreshTokenReusedError);
    await expect(replay).rejects.toMatchObject({ code: 40102 });
    expect(refreshTokens.revokedFamilies).toContain(familyId);
    expect(refreshTokens.tokensOfFamily(familyId).every((token) => token.revokedAt !== null)).toBe(true);
    await expect(refresh(rotated.refreshToken)).rejects.toThrow(InvalidRefreshTokenError);
  });

  it('treats losing the conditional claim (a concurrent exchange) as re-use', async () => {
    const { refresh, login, familyId, refreshTokens, signer } = await setUp();
    refreshTokens.claimOverride = false;
    await expect(refresh(login.refreshToken)).rejects.toThrow(RefreshTokenReusedError);
    expect(refreshTokens.revokedFamilies).toEqual([familyId]);
    expect(refreshTokens.tokensOfFamily(familyId)).toHaveLength(1);
    expect(signer.signed).toHaveLength(1);
  });

  it.each(['suspended', 'deleted'] as const)('refuses a token of a %s user as invalid (40100)', async (status) => {
    const { refresh, seedUser, sessions, refreshTokens } = await setUp();
    const eve = seedUser({ email: 'eve@example.com', status });
    const pair = await sessions.issue(eve);
    const attempt = refresh(pair.refreshToken);
    await expect(attempt).rejects.toThrow(InvalidRefreshTokenError);
    await expect(attempt).rejects.toMatchObject({ code: 40100 });
    expect(refreshTokens.revokedFamilies).toEqual([]);
  });

  it('refuses a token whose user no longer exists', async () => {
    const { refresh, login, users, ada } = await setUp();
    users.rows.delete(ada.id);
    await expect(refresh(login.refreshToken)).rejects.toThrow(InvalidRefreshTokenError);
  });

  it('refuses an unknown token as invalid', async () => {
    const { refresh } = await setUp();
    await expect(refresh('rt.unknown.1')).rejects.toThrow(InvalidRefreshTokenError);
  });

  it('refuses an expired token with 40101 and revokes nothing', async () => {
    const { refresh, login, clock, refreshTokens } = await setUp();
    clock.advance(REFRESH_TOKEN_TTL_MS);
    const attempt = refresh(login.refreshToken);
    await expect(attempt).rejects.toThrow(RefreshTokenExpiredError);
    await expect(attempt).rejects.toMatchObject({ code: 40101 });
    expect(refreshTokens.revokedFamilies).toEqual([]);
  });

  it('refuses a token revoked by logout as invalid (40100), not as re-use', async () => {
    const { refresh, login, familyId, refreshTokens, clock } = await setUp();
    await refreshTokens.revokeFamily(familyId, clock.now());
    const attempt = refresh(login.refreshToken);
    await expect(attempt).rejects.toThrow(InvalidRefreshTokenError);
    await expect(attempt).rejects.not.toThrow(RefreshTokenReusedError);
  });
});
