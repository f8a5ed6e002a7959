import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../../../../config/app-config.js';
import { IdGenerator } from '../../../../shared/application/id-generator.js';
import { AccessTokenSigner, type SignedAccessToken } from '../../application/ports/access-token-signer.js';
import type { Role } from '../../domain/role.js';

/** Signs access tokens through @nestjs/jwt (HS256, key configured once in the platform's JwtModule). */
@Injectable()
export class JwtAccessTokenSigner extends AccessTokenSigner {
  private readonly ttlSeconds: number;

  constructor(
    private readonly jwt: JwtService,
    private readonly ids: IdGenerator,
    config: AppConfig,
  ) {
    super();
    this.ttlSeconds = Math.floor(config.auth.accessTokenTtlMs / 1000);
  }

  async sign(subject: { userId: string; roles: readonly Role[] }): Promise<SignedAccessToken> {
    const token = await this.jwt.signAsync(
      { roles: [...subject.roles] },
      { subject: subject.userId, jwtid: this.ids.next(), expiresIn: this.ttlSeconds },
    );
    return { token, expiresInSeconds: this.ttlSeconds };
  }
}
