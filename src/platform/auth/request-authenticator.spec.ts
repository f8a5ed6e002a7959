import { createSecretKey } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import type { AppConfig } from '../../config/app-config.js';
import { UnauthenticatedError } from '../../shared/domain/domain-error.js';
import { AccessTokenVerifier } from './access-token-verifier.js';
import { RequestAuthenticator, type AuthenticatedRequest } from './request-authenticator.js';

const config = { auth: { jwtIssuer: 'orderly', jwtAudience: 'orderly-api' } } as unknown as AppConfig;
const jwt = new JwtService({
  secret: createSecretKey(Buffer.from('unit-test-secret-that-is-at-least-32-bytes', 'utf8')),
  signOptions: { algorithm: 'HS256', issuer: 'orderly', audience: 'orderly-api' },
});

function sign(claims: Record<string, unknown>, expiresIn = 900): string {
  return jwt.sign({ roles: ['customer'], jti: 'j-1', ...claims }, { expiresIn });
}

function requestWith(authorization: string | undefined): AuthenticatedRequest {
  return { headers: authorization === undefined ? {} : { authorization } } as unknown as AuthenticatedRequest;
}

describe('RequestAuthenticator with the verified-token cache', () => {
  let verifier: AccessTokenVerifier;
  let authenticator: RequestAuthenticator;

  beforeEach(() => {
    verifier = new AccessTokenVerifier(jwt, config);
    authenticator = new RequestAuthenticator(verifier);
  });

  it('verifies a header once: the same header again is answered from the cache, with the same claims', () => {
    const header = `Bearer ${sign({ sub: 'user-1' })}`;
    const verify = vi.spyOn(jwt, 'verify');
    const first = authenticator.claims(requestWith(header));
    const second = authenticator.claims(requestWith(header));
    expect(first.sub).toBe('user-1');
    expect(second).toEqual(first);
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('never lets a tampered token ride on a cached one', () => {
    const token = sign({ sub: 'user-1' });
    authenticator.claims(requestWith(`Bearer ${token}`));
    const [header, , signature] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ sub: 'admin', roles: ['admin'] })).toString('base64url')}.${signature}`;
    expect(() => authenticator.claims(requestWith(`Bearer ${forged}`))).toThrow(UnauthenticatedError);
  });

  it('refuses malformed headers as before, cached token or not', () => {
    const token = sign({ sub: 'user-1' });
    authenticator.claims(requestWith(`Bearer ${token}`));
    for (const header of [`bearer ${token}`, `Bearer  ${token}`, token, 'Bearer', '']) {
      expect(() => authenticator.claims(requestWith(header))).toThrow(/Malformed Authorization header/);
    }
    expect(() => authenticator.claims(requestWith(undefined))).toThrow(/Missing bearer token/);
  });

  it('answers 40101 once a cached token has expired', () => {
    vi.useFakeTimers();
    try {
      const header = `Bearer ${sign({ sub: 'user-1' }, 30)}`;
      authenticator.claims(requestWith(header));
      vi.advanceTimersByTime(31_000);
      const error = (() => {
        try {
          authenticator.claims(requestWith(header));
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(UnauthenticatedError);
      expect((error as UnauthenticatedError).code).toBe(40101);
    } finally {
      vi.useRealTimers();
    }
  });
});
