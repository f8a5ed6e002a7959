import { Injectable } from '@nestjs/common';
import { Clock } from '../../../shared/application/clock.js';
import { IdGenerator } from '../../../shared/application/id-generator.js';
import { RefreshToken } from '../domain/refresh-token.entity.js';
import { RefreshTokenRepository } from '../domain/refresh-token.repository.js';
import type { User } from '../domain/user.aggregate.js';
import { IdentitySettings } from './identity-settings.js';
import { AccessTokenSigner } from './ports/access-token-signer.js';
import { RefreshTokenCodec } from './ports/refresh-token-codec.js';
import type { TokenPair } from './token-pair.js';

/**
 * Issues an access token and the next refresh token of a family. Shared by log-in (new family) and refresh
 * (same family); must run inside the caller's unit of work so the stored token commits with the rest.
 */
@Injectable()
export class SessionIssuer {
  constructor(
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly codec: RefreshTokenCodec,
    private readonly signer: AccessTokenSigner,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly settings: IdentitySettings,
  ) {}

  async issue(user: User, familyId: string = this.ids.next()): Promise<TokenPair> {
    const minted = this.codec.mint(familyId);
    const token = RefreshToken.issue({
      id: this.ids.next(),
      familyId,
      userId: user.id,
      tokenHash: minted.hash,
      now: this.clock.now(),
      ttlMs: this.settings.refreshTokenTtlMs,
    });
    await this.refreshTokens.add(token);
    const access = await this.signer.sign({ userId: user.id, roles: user.snapshot().roles });
    return {
      accessToken: access.token,
      refreshToken: minted.raw,
      tokenType: 'Bearer',
      expiresIn: access.expiresInSeconds,
    };
  }
}
