import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { RefreshTokenCodec, type MintedRefreshToken } from '../../application/ports/refresh-token-codec.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * `<familyId>.<32 random bytes, base64url>`. Not a JWT on purpose: it can never be mistaken for an access token,
 * and revocation is a database fact anyway. Stored as SHA-256: the token has 256 bits of entropy, so a fast hash
 * is enough (a leaked table yields nothing usable) and look-ups stay one indexed equality.
 */
@Injectable()
export class OpaqueRefreshTokenCodec extends RefreshTokenCodec {
  mint(familyId: string): MintedRefreshToken {
    const raw = `${familyId}.${randomBytes(32).toString('base64url')}`;
    return { raw, hash: this.hash(raw) };
  }

  hash(raw: string): string {
    return createHash('sha256').update(raw, 'utf8').digest('hex');
  }

  familyOf(raw: string): string | undefined {
    const familyId = raw.split('.', 1)[0];
    return familyId !== undefined && UUID.test(familyId) ? familyId : undefined;
  }
}
