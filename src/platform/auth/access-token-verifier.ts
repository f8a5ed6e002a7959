import { Injectable } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { AppConfig } from '../../config/app-config.js';
import { UnauthenticatedError } from '../../shared/domain/domain-error.js';

export interface VerifiedClaims {
  readonly sub: string;
  readonly roles: readonly string[];
  readonly exp: number;
  readonly jti: string;
}

const MAX_CACHED_TOKENS = 10_000;
const MAX_CACHE_MS = 60_000;
/**
 * Entries are filed under the key's last characters (the token's signature), and the whole key is compared on a hit:
 * a Map hashes the string it is asked for, and hashing a fresh ~300-character header costs ~0.4 µs per request where
 * 32 characters plus one comparison cost ~0.1 µs (measured).
 */
const SLOT_CHARS = 32;

function slotOf(cacheKey: string): string {
  return cacheKey.length > SLOT_CHARS ? cacheKey.slice(-SLOT_CHARS) : cacheKey;
}

/**
 * Verifies access tokens through @nestjs/jwt (HS256 only — `alg: none` and other algorithms are refused — plus
 * issuer and audience), and remembers tokens it verified until min(exp, 60 s). The cache is keyed by a string that
 * holds the whole token (the token, or its Authorization header), so a tampered token never hits it; it exists because verification is on every request's path
 * (see TOOLCHAIN.md figures), while revocation is judged separately by the PrincipalLookup on every request.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly cache = new Map<string, { key: string; claims: VerifiedClaims; validUntil: number }>();

  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  /**
   * @param cacheKey what the verified claims are remembered under: the token itself, or the whole Authorization
   *   header it came in (RequestAuthenticator), so that a known header is recognised with one lookup, before any
   *   parsing. Either way the key contains the complete token.
   */
  verify(token: string, cacheKey: string = token): VerifiedClaims {
    const now = Date.now();
    const cached = this.cached(cacheKey, now);
    if (cached !== undefined) return cached;
    const claims = this.verifyUncached(token);
    this.remember(cacheKey, claims, now);
    return claims;
  }

  /** Claims remembered under `cacheKey` and still trusted; throws 40101 when they were and the token has expired. */
  cached(cacheKey: string, now = Date.now()): VerifiedClaims | undefined {
    const slot = slotOf(cacheKey);
    const cached = this.cache.get(slot);
    // Another key in the slot (same last characters, different token): not this one.
    if (cached === undefined || cached.key !== cacheKey) return undefined;
    if (cached.validUntil > now) return cached.claims;
    this.cache.delete(slot);
    if (cached.claims.exp * 1000 <= now) throw new UnauthenticatedError('Access token expired', 40101);
    return undefined;
  }

  private verifyUncached(token: string): VerifiedClaims {
    let payload: Record<string, unknown>;
    try {
      payload = this.jwt.verify<Record<string, unknown>>(token, {
        algorithms: ['HS256'],
        issuer: this.config.auth.jwtIssuer,
        audience: this.config.auth.jwtAudience,
      });
    } catch (error) {
      if (error instanceof TokenExpiredError) throw new UnauthenticatedError('Access token expired', 40101);
      throw new UnauthenticatedError('Invalid access token');
    }
    const { sub, roles, exp, jti } = payload;
    if (
      typeof sub !== 'string' ||
      typeof exp !== 'number' ||
      typeof jti !== 'string' ||
      !Array.isArray(roles) ||
      !roles.every((role) => typeof role === 'string')
    ) {
      throw new UnauthenticatedError('Invalid access token');
    }
    return { sub, roles: roles, exp, jti };
  }

  private remember(cacheKey: string, claims: VerifiedClaims, now: number): void {
    if (this.cache.size >= MAX_CACHED_TOKENS) {
      // Map iteration is insertion order: dropping the first entry evicts the oldest.
      const oldest = this.cache.keys().next();
      if (oldest.done !== true) this.cache.delete(oldest.value);
    }
    this.cache.set(slotOf(cacheKey), {
      key: cacheKey,
      claims,
      validUntil: Math.min(claims.exp * 1000, now + MAX_CACHE_MS),
    });
  }
}
