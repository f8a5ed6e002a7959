import type { RefreshToken } from './refresh-token.entity.js';

/** Port for refresh-token families. */
export abstract class RefreshTokenRepository {
  abstract findByHash(tokenHash: string): Promise<RefreshToken | undefined>;
  abstract add(token: RefreshToken): Promise<void>;
  /** Marks the token used if and only if it is still unused and unrevoked; false means someone else won. */
  abstract claim(token: RefreshToken, now: Date): Promise<boolean>;
  abstract revokeFamily(familyId: string, now: Date): Promise<void>;
  abstract revokeAllOfUser(userId: string, now: Date): Promise<void>;
}
