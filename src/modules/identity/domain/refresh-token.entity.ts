import { Entity } from '../../../shared/domain/entity.js';
import { InvalidRefreshTokenError, RefreshTokenExpiredError, RefreshTokenReusedError } from './identity.errors.js';

export interface RefreshTokenState {
  readonly id: string;
  readonly familyId: string;
  readonly userId: string;
  readonly tokenHash: string;
  readonly expiresAt: Date;
  readonly usedAt: Date | null;
  readonly revokedAt: Date | null;
  readonly createdAt: Date;
}

/**
 * One refresh token of a family (the chain of rotations that started with one sign-in). Only its hash is
 * stored. A token may be exchanged once; presenting it again means it was copied, so the family is revoked.
 * Entity rather than aggregate: its state changes are single conditional updates (`claim`), which is what makes
 * two concurrent exchanges of the same token end with exactly one winner.
 */
export class RefreshToken extends Entity {
  private constructor(private readonly state: RefreshTokenState) {
    super(state.id);
  }

  static issue(params: {
    id: string;
    familyId: string;
    userId: string;
    tokenHash: string;
    now: Date;
    ttlMs: number;
  }): RefreshToken {
    return new RefreshToken({
      id: params.id,
      familyId: params.familyId,
      userId: params.userId,
      tokenHash: params.tokenHash,
      expiresAt: new Date(params.now.getTime() + params.ttlMs),
      usedAt: null,
      revokedAt: null,
      createdAt: params.now,
    });
  }

  static restore(state: RefreshTokenState): RefreshToken {
    return new RefreshToken(state);
  }

  get familyId(): string {
    return this.state.familyId;
  }

  get userId(): string {
    return this.state.userId;
  }

  /**
   * Throws the catalog error for a token that may not be exchanged. A spent token coming back is re-use (40102,
   * checked first, even when expired); a revoked one (logout, password change, suspension) is simply invalid.
   */
  assertExchangeable(now: Date): void {
    if (this.state.usedAt !== null) throw new RefreshTokenReusedError();
    if (this.state.revokedAt !== null) throw new InvalidRefreshTokenError();
    if (this.state.expiresAt.getTime() <= now.getTime()) throw new RefreshTokenExpiredError();
  }

  snapshot(): RefreshTokenState {
    return this.state;
  }
}
