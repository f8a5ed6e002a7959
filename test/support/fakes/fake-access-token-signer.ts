import {
  AccessTokenSigner,
  type SignedAccessToken,
} from '../../../src/modules/identity/application/ports/access-token-signer.js';
import type { Role } from '../../../src/modules/identity/domain/role.js';

/** Signs nothing: the "token" names its subject and roles. Records every subject it was asked to sign. */
export class FakeAccessTokenSigner extends AccessTokenSigner {
  readonly signed: { userId: string; roles: readonly Role[] }[] = [];

  async sign(subject: { userId: string; roles: readonly Role[] }): Promise<SignedAccessToken> {
    this.signed.push(subject);
    return { token: `access(${subject.userId}|${subject.roles.join(',')})`, expiresInSeconds: 900 };
  }
}
