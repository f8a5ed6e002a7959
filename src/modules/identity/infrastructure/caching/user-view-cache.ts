import { Injectable } from '@nestjs/common';
import type { Principal } from '../../../../platform/auth/principal.js';
import type { UserView } from '../../application/user-view.js';

/**
 * How long this instance trusts what it read about a user. A change evicts the entry on this instance at once
 * (the write's events are handled before its response is sent: read-your-writes); other instances, which do not
 * see in-process events, follow within this bound — SPEC §4a's "within 1 s". The price is one primary-key read
 * per active user per second, instead of one per request.
 */
export const USER_VIEW_TTL_MS = 1_000;
const MAX_ENTRIES = 50_000;

export interface CachedUser {
  readonly view: UserView;
  /** Present only for active users: what the auth guard needs. */
  readonly principal: Principal | undefined;
}

type Loader = (id: string) => Promise<UserView | undefined>;

/**
 * Short-lived, per-instance cache of user views shared by the auth guard's principal look-up and
 * `GET /users/me` — the two reads on every authenticated request. Concurrent misses for one user share one
 * query; an eviction during a load stops that (possibly stale) result from being stored.
 */
@Injectable()
export class UserViewCache {
  private readonly entries = new Map<string, { user: CachedUser | undefined; validUntil: number }>();
  private readonly loading = new Map<string, Promise<CachedUser | undefined>>();
  private generation = new Map<string, number>();

  get(id: string, load: Loader): CachedUser | undefined | Promise<CachedUser | undefined> {
    const entry = this.entries.get(id);
    if (entry !== undefined && entry.validUntil > Date.now()) return entry.user;
    let pending = this.loading.get(id);
    if (pending === undefined) {
      pending = this.load(id, load).finally(() => this.loading.delete(id));
      this.loading.set(id, pending);
    }
    return pending;
  }

  evict(id: string): void {
    this.entries.delete(id);
    this.loading.delete(id);
    this.generation.set(id, (this.generation.get(id) ?? 0) + 1);
  }

  private async load(id: string, load: Loader): Promise<CachedUser | undefined> {
    const startedAt = this.generation.get(id) ?? 0;
    const view = await load(id);
    const user =
      view === undefined
        ? undefined
        : { view, principal: view.status === 'active' ? { id: view.id, roles: view.roles } : undefined };
    if ((this.generation.get(id) ?? 0) === startedAt) {
      if (this.entries.size >= MAX_ENTRIES) {
        this.entries.clear();
        this.generation = new Map();
      }
      this.entries.set(id, { user, validUntil: Date.now() + USER_VIEW_TTL_MS });
    }
    return user;
  }
}
