import { Injectable } from '@nestjs/common';
import type { Principal } from '../../../../platform/auth/principal.js';
import { PrincipalLookup } from '../../../../platform/auth/principal.js';
import { UserViewCache } from '../caching/user-view-cache.js';
import { TypeOrmUserReadModel } from '../persistence/typeorm-user.read-model.js';

/**
 * identity's answer to the platform's PrincipalLookup port: the current roles of an active user, from the
 * short-lived user cache (synchronous on a hit, so the guard allocates no promise on the hot path).
 */
@Injectable()
export class IdentityPrincipalLookup extends PrincipalLookup {
  private readonly load = (id: string) => this.readModel.findById(id);

  constructor(
    private readonly cache: UserViewCache,
    private readonly readModel: TypeOrmUserReadModel,
  ) {
    super();
  }

  find(userId: string): Principal | undefined | Promise<Principal | undefined> {
    const cached = this.cache.get(userId, this.load);
    return cached instanceof Promise ? cached.then((user) => user?.principal) : cached?.principal;
  }
}
