import { InvalidRefreshTokenError, RefreshTokenExpiredError, RefreshTokenReusedError } from './identity.errors.js';
import { RefreshToken, type RefreshTokenState } from './refresh-token.entity.js';

const issuedAt = new Date('2025-01-01T00:00:00.000Z');
const expiresAt = new Date('2025-01-31T00:00:00.000Z');
const beforeExpiry = new Date('2025-01-15T00:00:00.000Z');
const afterExpiry = new Date('2025-02-15T00:00:00.000Z');

function token(overrides: Partial<RefreshTokenState> = {}): RefreshToken {
  return RefreshToken.restore({
    id: 'token-1',
    familyId: 'family-1',
    userId: 'user-1',
    tokenHash: 'hash',
    expiresAt,
    usedAt: null,
    revokedAt: null,
    createdAt: issuedAt,
    ...overrides,
  });
}

describe('RefreshToken.assertExchangeable', () => {
  it('lets an unused, unrevoked, unexpired token through', () => {
    expect(() => token().assertExchangeable(beforeExpiry)).not.toThrow();
  });

  it.each([
    ['used', { usedAt: beforeExpiry }],
    ['used and since revoked', { usedAt: beforeExpiry, revokedAt: beforeExpiry }],
  ])('treats a %s token as re-used (40102), before and after expiry', (_, state) => {
    for (const now of [beforeExpiry, afterExpiry]) {
      expect(() => token(state).assertExchangeable(now)).toThrow(RefreshTokenReusedError);
    }
    expect(new RefreshTokenReusedError().code).toBe(40102);
  });

  it('treats an unused but revoked token (logout, password change) as invalid (40100), before and after expiry', () => {
    for (const now of [beforeExpiry, afterExpiry]) {
      const attempt = () => token({ revokedAt: issuedAt }).assertExchangeable(now);
      expect(attempt).toThrow(InvalidRefreshTokenError);
      expect(attempt).not.toThrow(RefreshTokenReusedError);
    }
    expect(new InvalidRefreshTokenError().code).toBe(40100);
  });

  it('refuses an expired token with 40101, from the instant of expiry on', () => {
    for (const now of [expiresAt, afterExpiry]) {
      expect(() => token().assertExchangeable(now)).toThrow(RefreshTokenExpiredError);
    }
    expect(() => token().assertExchangeable(new Date(expiresAt.getTime() - 1))).not.toThrow();
    expect(new RefreshTokenExpiredError().code).toBe(40101);
  });

  it('issue() sets the expiry from now + ttl, unused and unrevoked', () => {
    const issued = RefreshToken.issue({
      id: 't',
      familyId: 'f',
      userId: 'u',
      tokenHash: 'h',
      now: issuedAt,
      ttlMs: 60_000,
    });
    expect(issued.snapshot()).toMatchObject({
      expiresAt: new Date(issuedAt.getTime() + 60_000),
      usedAt: null,
      revokedAt: null,
      createdAt: issuedAt,
    });
  });
});
