import { TieredCacheProvider } from '../../../../platform/cache/tiered-cache.provider.js';
import { MetricsRegistry } from '../../../../platform/metrics/metrics-registry.js';
import { AfterCommit } from '../../../../platform/persistence/after-commit.js';
import type { UserView } from '../../application/user-view.js';
import { UserStatusChanged } from '../../domain/identity.events.js';
import { CachedUserInvalidation } from './cached-user-invalidation.js';
import { UserViewCache } from './user-view-cache.js';

function view(status: UserView['status'] = 'active'): UserView {
  return {
    id: 'u1',
    email: 'ada@example.com',
    displayName: 'Ada',
    roles: ['customer'],
    status,
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('UserViewCache (on the cache platform)', () => {
  let cache: UserViewCache;

  beforeEach(() => {
    cache = new UserViewCache(new TieredCacheProvider(null, new MetricsRegistry()));
  });

  it('answers a hit synchronously, so the auth guard allocates no promise', async () => {
    const load = vi.fn(async () => view());
    const first = cache.get('u1', load);
    expect(first).toBeInstanceOf(Promise);
    expect((await first)?.principal).toEqual({ id: 'u1', roles: ['customer'] });

    const second = cache.get('u1', load);
    expect(second).not.toBeInstanceOf(Promise);
    expect(second).toBe(await first);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('gives a suspended user a view but no principal', async () => {
    const user = await cache.get('u1', async () => view('suspended'));
    expect(user?.view?.status).toBe('suspended');
    expect(user?.principal).toBeUndefined();
  });

  it('caches "no such user" too (a deleted user\'s token costs one query per TTL)', async () => {
    const load = vi.fn(async () => undefined);
    expect(await cache.get('gone', load)).toEqual({ view: undefined, principal: undefined });
    expect(cache.get('gone', load)).toEqual({ view: undefined, principal: undefined });
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("is evicted by an AfterCommit listener for the user's changes", async () => {
    const afterCommit = new AfterCommit();
    new CachedUserInvalidation(afterCommit, cache).onModuleInit();
    await cache.get('u1', async () => view());

    await afterCommit.dispatch([new UserStatusChanged('u1', new Date(), 'suspended')]);

    const reloaded = await cache.get('u1', async () => view('suspended'));
    expect(reloaded?.principal).toBeUndefined();
  });
});
