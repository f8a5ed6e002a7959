import { Logger } from '@nestjs/common';
import type { EventBus } from '@nestjs/cqrs';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { UserRegistered } from '../../src/modules/identity/domain/identity.events.js';
import { UserOrmEntity } from '../../src/modules/identity/infrastructure/persistence/user.orm-entity.js';
import { TieredCacheProvider } from '../../src/platform/cache/tiered-cache.provider.js';
import { MetricsRegistry } from '../../src/platform/metrics/metrics-registry.js';
import { AfterCommit } from '../../src/platform/persistence/after-commit.js';
import { OutboxWriter } from '../../src/platform/persistence/outbox/outbox-writer.js';
import { TypeOrmUnitOfWork } from '../../src/platform/persistence/typeorm-unit-of-work.js';
import { SystemClock } from '../../src/platform/runtime/system-clock.js';
import { UuidV7IdGenerator } from '../../src/platform/runtime/uuid-v7-id-generator.js';
import { createPersistenceHarness, newUser, type PersistenceHarness } from '../support/persistence-harness.js';
import { createTestDataSource } from '../support/test-data-source.js';
import { describeProfile, testProfile } from '../support/test-profile.js';

const profile = testProfile();
const redisUrl = profile.kind === 'server' ? profile.redisUrl : undefined;

/**
 * Read-your-writes through the real unit of work (SPEC §4a): a cache invalidated by an AfterCommit listener is
 * clean — in Redis when the profile has it, and in process — by the time `UnitOfWork.run` resolves.
 */
describe(describeProfile('AfterCommit in the TypeORM unit of work'), () => {
  const namespace = `orderly-test:cache:${uuidv7()}:`;
  let dataSource: DataSource;
  let harness: PersistenceHarness;
  let redis: Redis | null = null;
  let provider: TieredCacheProvider;

  /** The real unit of work with its outbox writer, and the AfterCommit under test. */
  function unitOfWorkWith(afterCommit: AfterCommit): TypeOrmUnitOfWork {
    const eventBus = { publishAll: () => undefined } as unknown as EventBus;
    const writer = new OutboxWriter(new UuidV7IdGenerator(), new SystemClock(), harness.trace, harness.settings);
    return new TypeOrmUnitOfWork(dataSource, harness.context, eventBus, writer, harness.signal, afterCommit);
  }

  beforeAll(async () => {
    dataSource = await createTestDataSource();
    harness = createPersistenceHarness(dataSource);
    if (redisUrl !== undefined) {
      redis = new Redis(redisUrl, { lazyConnect: true, enableOfflineQueue: false, commandTimeout: 500 });
      redis.on('error', () => undefined);
      await redis.connect();
    }
    provider = new TieredCacheProvider(redis, new MetricsRegistry(), { namespace });
  });

  afterAll(async () => {
    provider?.close();
    if (redis !== null) {
      const keys = await redis.keys(`${namespace}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
    await dataSource?.destroy();
  });

  it('has invalidated the cache, in Redis and in process, when run resolves', async () => {
    const name = `users-${uuidv7()}`;
    const cache = provider.create<{ name: string }>({ name, ttlMs: 60_000 });
    const user = newUser();
    await cache.get(user.id, async () => ({ name: 'before the write' }));
    if (redis !== null) {
      const key = `${namespace}${name}:${user.id}`;
      await vi.waitFor(async () => expect(await redis!.exists(key)).toBe(1));
    }
    const afterCommit = new AfterCommit();
    afterCommit.on([UserRegistered], async (event) => {
      await new Promise((resolve) => setTimeout(resolve, 30)); // a slow listener is still waited for
      await cache.invalidate(event.aggregateId);
    });

    await unitOfWorkWith(afterCommit).run(() => harness.users.save(user));

    expect(cache.peek(user.id)).toBeUndefined();
    if (redis !== null) expect(await redis.exists(`${namespace}${name}:${user.id}`)).toBe(0);
    expect(await cache.get(user.id, async () => ({ name: 'after the write' }))).toEqual({ name: 'after the write' });
  });

  it('does not call listeners for a rolled-back unit of work', async () => {
    const afterCommit = new AfterCommit();
    const listener = vi.fn();
    afterCommit.on([UserRegistered], listener);
    const user = newUser();

    await expect(
      unitOfWorkWith(afterCommit).run(async () => {
        await harness.users.save(user);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');

    expect(listener).not.toHaveBeenCalled();
    expect(await dataSource.getRepository(UserOrmEntity).findOneBy({ id: user.id })).toBeNull();
  });

  it('keeps the committed write and resolves when a listener fails', async () => {
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const afterCommit = new AfterCommit();
    afterCommit.on([UserRegistered], () => Promise.reject(new Error('cache unreachable')));
    const user = newUser();

    await expect(unitOfWorkWith(afterCommit).run(() => harness.users.save(user))).resolves.toBeUndefined();

    expect(await dataSource.getRepository(UserOrmEntity).findOneBy({ id: user.id })).not.toBeNull();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('cache unreachable'));
    warn.mockRestore();
  });
});
