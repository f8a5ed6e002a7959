import type { DataSource } from 'typeorm';
import { UserOrmEntity } from '../../src/modules/identity/infrastructure/persistence/user.orm-entity.js';
import { OutboxEventOrmEntity } from '../../src/platform/persistence/outbox/outbox-event.orm-entity.js';
import { DependencyUnavailableError } from '../../src/platform/resilience/dependency-unavailable.error.js';
import { MAX_TRANSACTION_ATTEMPTS } from '../../src/platform/persistence/typeorm-unit-of-work.js';
import { createPersistenceHarness, newUser, type PersistenceHarness } from '../support/persistence-harness.js';
import { createTestDataSource } from '../support/test-data-source.js';
import { describeProfile, testProfile } from '../support/test-profile.js';

/** What mysql2 puts on a QueryFailedError's driverError; enough for the unit of work to see a transient conflict. */
function driverError(errno: number): Error {
  return Object.assign(new Error(`simulated errno ${errno}`), { errno });
}

/** Resolves once `parties` callers have arrived; a caller that waits too long gets a (non-transient) error. */
function barrier(parties: number, timeoutMs = 5_000): () => Promise<void> {
  let arrived = 0;
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return async () => {
    arrived += 1;
    if (arrived === parties) open();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`barrier: only ${arrived}/${parties} arrived`)), timeoutMs);
    });
    try {
      await Promise.race([opened, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}

describe(describeProfile('TypeOrmUnitOfWork: retries and nesting'), () => {
  let dataSource: DataSource;
  let harness: PersistenceHarness;

  beforeAll(async () => {
    dataSource = await createTestDataSource();
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  beforeEach(() => {
    harness = createPersistenceHarness(dataSource);
  });

  it.each([
    ['deadlock', 1213],
    ['lock-wait timeout', 1205],
  ])(
    'runs work that keeps hitting a %s exactly MAX_TRANSACTION_ATTEMPTS times, then fails with 50300',
    async (_name, errno) => {
      let attempts = 0;
      const started = performance.now();

      const error = await harness.unitOfWork
        .run(async () => {
          attempts += 1;
          throw driverError(errno);
        })
        .catch((e: unknown) => e);

      expect(attempts).toBe(MAX_TRANSACTION_ATTEMPTS);
      expect(error).toBeInstanceOf(DependencyUnavailableError);
      expect((error as DependencyUnavailableError).code).toBe(50300);
      expect((error as DependencyUnavailableError).cause).toMatchObject({ errno });
      // Bounded, jittered backoff: some waiting between attempts, but never anything close to a request deadline.
      expect(performance.now() - started).toBeLessThan(2_000);
    },
  );

  it('commits the attempt that finally succeeds, once, and publishes its events once', async () => {
    const user = newUser();
    let attempts = 0;

    const result = await harness.unitOfWork.run(async () => {
      attempts += 1;
      await harness.users.save(user);
      if (attempts < 3) throw driverError(1213);
      return 'done';
    });

    expect(result).toBe('done');
    expect(attempts).toBe(3);
    expect(await dataSource.getRepository(UserOrmEntity).countBy({ id: user.id })).toBe(1);
    expect(harness.published.map((event) => event.aggregateId)).toEqual([user.id]);
    // The outbox row is written by the attempt that commits, exactly once.
    const rows = await dataSource.getRepository(OutboxEventOrmEntity).findBy({ aggregateId: user.id });
    expect(rows.map((row) => row.type)).toEqual(['identity.user_registered']);
    expect(harness.committedEventIds).toEqual([rows[0]?.id]);
  });

  it('writes the events to the outbox in the saving transaction: a rollback leaves no row', async () => {
    const user = newUser({ displayName: 'Outbox Ada' });
    await expect(
      harness.unitOfWork.run(async () => {
        await harness.users.save(user);
        throw new Error('business rule failed after the save');
      }),
    ).rejects.toThrow('business rule failed');
    const outbox = dataSource.getRepository(OutboxEventOrmEntity);
    expect(await outbox.countBy({ aggregateId: user.id })).toBe(0);
    expect(harness.committedEventIds).toEqual([]);

    // The same aggregate saved again commits with its event still pending: one row, with the published shape.
    await harness.unitOfWork.run(() => harness.users.save(user));
    const [row] = await outbox.findBy({ aggregateId: user.id });
    expect(row).toMatchObject({ type: 'identity.user_registered', version: 1, attempts: 0, deliveredAt: null });
    expect(JSON.parse(row?.payload ?? '{}')).toEqual({
      userId: user.id,
      email: user.emailAddress,
      displayName: 'Outbox Ada',
      roles: ['customer'],
    });
    expect(user.pendingEvents).toEqual([]);
  });

  it('does not retry an error that is not a transient conflict', async () => {
    let attempts = 0;
    const failure = new Error('a bug, not contention');

    await expect(
      harness.unitOfWork.run(async () => {
        attempts += 1;
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(attempts).toBe(1);
  });

  it('joins the outer transaction from a nested run: the inner write rolls back with the outer one', async () => {
    const outerUser = newUser();
    const innerUser = newUser();
    const failure = new Error('outer work failed after the inner run returned');
    const scopes: unknown[] = [];

    await expect(
      harness.unitOfWork.run(async () => {
        scopes.push(harness.context.current);
        await harness.users.save(outerUser);
        await harness.unitOfWork.run(async () => {
          scopes.push(harness.context.current);
          await harness.users.save(innerUser);
        });
        throw failure;
      }),
    ).rejects.toBe(failure);

    expect(scopes[0]).toBeDefined();
    expect(scopes[1]).toBe(scopes[0]);
    const rows = dataSource.getRepository(UserOrmEntity);
    expect(await rows.countBy({ id: innerUser.id })).toBe(0);
    expect(await rows.countBy({ id: outerUser.id })).toBe(0);
    expect(harness.published).toEqual([]);
  });

  it('publishes the events of a nested run only when the outer transaction commits', async () => {
    const outerUser = newUser();
    const innerUser = newUser();
    let publishedWhenInnerReturned = -1;

    await harness.unitOfWork.run(async () => {
      await harness.unitOfWork.run(() => harness.users.save(innerUser));
      publishedWhenInnerReturned = harness.published.length;
      await harness.users.save(outerUser);
    });

    expect(publishedWhenInnerReturned).toBe(0);
    expect(harness.published.map((event) => event.aggregateId).sort()).toEqual([innerUser.id, outerUser.id].sort());
  });

  describe.skipIf(testProfile().kind !== 'server')('against a real MariaDB deadlock', () => {
    it('retries the deadlock victim so both crossing transactions succeed', async () => {
      const [a, b] = [newUser(), newUser()];
      await harness.unitOfWork.run(async () => {
        await harness.users.save(a);
        await harness.users.save(b);
      });
      const rename = (id: string, displayName: string) =>
        harness.context
          .manager()
          .query('UPDATE identity_users SET display_name = ?, version = version + 1 WHERE id = ?', [displayName, id]);
      const bothHoldTheirFirstLock = barrier(2);
      const attempts = { ab: 0, ba: 0 };

      // A then B, and B then A: once both hold their first row lock, each waits for the other's.
      const outcomes = await Promise.allSettled([
        harness.unitOfWork.run(async () => {
          attempts.ab += 1;
          await rename(a.id, 'ab-first');
          if (attempts.ab === 1) await bothHoldTheirFirstLock();
          await rename(b.id, 'ab-second');
        }),
        harness.unitOfWork.run(async () => {
          attempts.ba += 1;
          await rename(b.id, 'ba-first');
          if (attempts.ba === 1) await bothHoldTheirFirstLock();
          await rename(a.id, 'ba-second');
        }),
      ]);

      expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled']);
      // Exactly one was chosen as the victim and re-run; the other went through on its first attempt.
      expect([attempts.ab, attempts.ba].sort()).toEqual([1, 2]);
      // The victim ran last, so the rows hold its writes — both of them, never a mix of the two transactions.
      const rows = dataSource.getRepository(UserOrmEntity);
      const [storedA, storedB] = [await rows.findOneByOrFail({ id: a.id }), await rows.findOneByOrFail({ id: b.id })];
      const names = [storedA.displayName, storedB.displayName];
      expect(names).toEqual(attempts.ab === 2 ? ['ab-first', 'ab-second'] : ['ba-second', 'ba-first']);
      expect([storedA.version, storedB.version]).toEqual([3, 3]);
    });

    it('a real deadlock victim that saved an aggregate writes its events once', async () => {
      const [a, b] = [newUser(), newUser()];
      await harness.unitOfWork.run(async () => {
        await harness.users.save(a);
        await harness.users.save(b);
      });
      const lock = (id: string) =>
        harness.context.manager().query('SELECT id FROM identity_users WHERE id = ? FOR UPDATE', [id]);
      const bothHoldTheirFirstLock = barrier(2);
      const attempts = { ab: 0, ba: 0 };
      const changed = [newUser(), newUser()];
      await Promise.all([
        harness.unitOfWork.run(async () => {
          attempts.ab += 1;
          // Saved before the deadlock: the victim's first attempt wrote its outbox row, then rolled back.
          await harness.users.save(changed[0]);
          await lock(a.id);
          if (attempts.ab === 1) await bothHoldTheirFirstLock();
          await lock(b.id);
        }),
        harness.unitOfWork.run(async () => {
          attempts.ba += 1;
          // Saved before the deadlock: the victim's first attempt wrote its outbox row, then rolled back.
          await harness.users.save(changed[1]);
          await lock(b.id);
          if (attempts.ba === 1) await bothHoldTheirFirstLock();
          await lock(a.id);
        }),
      ]);
      expect([attempts.ab, attempts.ba].sort()).toEqual([1, 2]);
      const outbox = dataSource.getRepository(OutboxEventOrmEntity);
      for (const user of changed) expect(await outbox.countBy({ aggregateId: user.id })).toBe(1);
    });
  });
});
