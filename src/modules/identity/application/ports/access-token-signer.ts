import type { Role } from '../../domain/role.js';

export interface SignedAccessToken {
  readonly token: string;
  readonly expiresInSeconds: number;
}

/** Port: signs short-lived access tokens (JWT, HS256) for a user. */
export abstract class AccessTokenSigner {
  abstract sign(subject: { userId: string; roles: readonly Role[] }): Promise<SignedAccessToken>;
}
