import { Injectable } from '@nestjs/common';
import type { Principal } from '../../../../platform/auth/principal.js';
import type { PeekableCache } from '../../../../platform/cache/cache.js';
import { TieredCacheProvider } from '../../../../platform/cache/tiered-cache.provider.js';
import type { UserView } from '../../application/user-view.js';

/**
 * How long this instance trusts what it read about a user. A change evicts the entry on this instance before the
 * write answers (CachedUserInvalidation, read-your-writes) and tells the other instances over Redis pub/sub when
 * Redis is configured; a lost message is repaired by this bound — SPEC §4a's "within 1 s". The price is one
 * primary-key read per active user per second, instead of one per request.
 */
export const USER_VIEW_TTL_MS = 1_000;
const MAX_ENTRIES = 50_000;

export interface CachedUser {
  /** undefined: no such user — cached too, so a deleted user's token costs one query per second, not per request. */
  readonly view: UserView | undefined;
  /** Present only for active users: what the auth guard needs. */
  readonly principal: Principal | undefined;
}

type Loader = (id: string) => Promise<UserView | undefined>;

/**
 * Short-lived, per-instance cache of user views shared by the auth guard's principal look-up and
 * `GET /users/me` — the two reads on every authenticated request. Built on the cache platform as a local-only
 * cache: a Redis round trip would cost more than the primary-key read it saves, and the synchronous `peek` keeps
 * the guard's hit path free of promises (measured: as cheap as the Map it replaced). Concurrent misses for one
 * user share one query; an eviction during a load stops that (possibly stale) result from being stored.
 */
@Injectable()
export class UserViewCache {
  private readonly cache: PeekableCache<CachedUser>;

  constructor(caches: TieredCacheProvider) {
    this.cache = caches.create<CachedUser>({
      name: 'users',
      ttlMs: USER_VIEW_TTL_MS,
      maxLocalEntries: MAX_ENTRIES,
      localOnly: true,
    });
  }

  /** Synchronous on a hit (the hot path), a promise on a miss. */
  get(id: string, load: Loader): CachedUser | undefined | Promise<CachedUser | undefined> {
    return this.cache.peek(id) ?? this.cache.get(id, (key) => toCachedUser(key, load));
  }

  evict(id: string): Promise<void> {
    return this.cache.invalidate(id);
  }
}

async function toCachedUser(id: string, load: Loader): Promise<CachedUser> {
  const view = await load(id);
  return { view, principal: view?.status === 'active' ? { id: view.id, roles: view.roles } : undefined };
}
