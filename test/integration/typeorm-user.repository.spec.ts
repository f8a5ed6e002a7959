import type { DataSource, QueryRunner, ReplicationMode } from 'typeorm';
import { DisplayName } from '../../src/modules/identity/domain/display-name.value-object.js';
import { Email } from '../../src/modules/identity/domain/email.value-object.js';
import { UserRegistered } from '../../src/modules/identity/domain/identity.events.js';
import { ConcurrentUpdateError, DuplicateError } from '../../src/shared/domain/domain-error.js';
import {
  createPersistenceHarness,
  newUser,
  uniqueEmail,
  type PersistenceHarness,
} from '../support/persistence-harness.js';
import { createTestDataSource } from '../support/test-data-source.js';
import { describeProfile } from '../support/test-profile.js';

describe(describeProfile('TypeOrmUserRepository'), () => {
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

  it('saves a user and loads it back unchanged (dates, roles, version)', async () => {
    const now = new Date('2031-02-03T04:05:06.789Z');
    const user = newUser({ email: uniqueEmail('round-trip'), roles: ['customer', 'admin'], displayName: 'Zoë', now });
    await harness.unitOfWork.run(() => harness.users.save(user));

    const loaded = await harness.users.findById(user.id);
    expect(loaded?.snapshot()).toEqual({ ...user.snapshot(), roles: ['customer', 'admin'], version: 1 });
    expect(loaded?.snapshot().createdAt.toISOString()).toBe('2031-02-03T04:05:06.789Z');
    expect(loaded?.isNew).toBe(false);
    expect(loaded?.hasUnsavedChanges).toBe(false);
    expect((await harness.users.findByEmail(Email.create(user.emailAddress)))?.id).toBe(user.id);
    expect(await harness.users.findByEmail(Email.create(uniqueEmail('nobody')))).toBeUndefined();

    const later = new Date('2031-02-03T05:00:00.001Z');
    loaded!.changeDisplayName(DisplayName.create('Zoë Renamed'), later);
    loaded!.assignRoles(['customer'], later);
    await harness.unitOfWork.run(() => harness.users.save(loaded!));

    const reloaded = (await harness.users.findById(user.id))!.snapshot();
    expect(reloaded).toMatchObject({ displayName: 'Zoë Renamed', roles: ['customer'], version: 2 });
    expect(reloaded.updatedAt.toISOString()).toBe('2031-02-03T05:00:00.001Z');
    expect(reloaded.createdAt.toISOString()).toBe('2031-02-03T04:05:06.789Z');
  });

  it('rejects the second of two saves based on the same version (optimistic locking, 40901)', async () => {
    const user = newUser();
    await harness.unitOfWork.run(() => harness.users.save(user));

    const first = (await harness.users.findById(user.id))!;
    const second = (await harness.users.findById(user.id))!;
    first.changeDisplayName(DisplayName.create('First writer'), new Date());
    second.changeDisplayName(DisplayName.create('Second writer'), new Date());

    await harness.unitOfWork.run(() => harness.users.save(first));
    const error = await harness.unitOfWork.run(() => harness.users.save(second)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConcurrentUpdateError);
    expect((error as ConcurrentUpdateError).code).toBe(40901);
    expect((await harness.users.findById(user.id))!.snapshot()).toMatchObject({
      displayName: 'First writer',
      version: 2,
    });
  });

  it('turns a second user with the same email into DuplicateError (40900)', async () => {
    const email = uniqueEmail('dup');
    await harness.unitOfWork.run(() => harness.users.save(newUser({ email })));

    const clash = newUser({ email });
    const error = await harness.unitOfWork.run(() => harness.users.save(clash)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DuplicateError);
    expect((error as DuplicateError).code).toBe(40900);
    expect(await harness.users.findById(clash.id)).toBeUndefined();
  });

  it('lets exactly one of 20 concurrent registrations of one email win; the others get DuplicateError', async () => {
    const email = uniqueEmail('race');
    const attempts = Array.from({ length: 20 }, () => newUser({ email }));

    const outcomes = await Promise.allSettled(
      attempts.map((user) => harness.unitOfWork.run(() => harness.users.save(user))),
    );

    const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const reasons = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
    expect(winners).toHaveLength(1);
    expect(reasons).toHaveLength(19);
    for (const reason of reasons) expect(reason).toBeInstanceOf(DuplicateError);

    const stored = await harness.users.findByEmail(Email.create(email));
    const winner = attempts[outcomes.findIndex((outcome) => outcome.status === 'fulfilled')];
    expect(stored?.id).toBe(winner.id);
    // Only the committed registration announced itself.
    expect(harness.published.filter((event) => event instanceof UserRegistered)).toHaveLength(1);
    expect(harness.published[0].aggregateId).toBe(winner.id);
  });

  describe('domain events', () => {
    /** Records when transactions commit, to place the publication relative to the commit. */
    function recordCommits(target: DataSource, log: string[]): () => void {
      const createQueryRunner = target.createQueryRunner.bind(target);
      const wrapped: Array<[QueryRunner, QueryRunner['commitTransaction']]> = [];
      target.createQueryRunner = (mode?: ReplicationMode) => {
        const runner = createQueryRunner(mode);
        if (!wrapped.some(([known]) => known === runner)) {
          const commit = runner.commitTransaction.bind(runner);
          wrapped.push([runner, runner.commitTransaction]);
          runner.commitTransaction = async () => {
            await commit();
            log.push('commit');
          };
        }
        return runner;
      };
      return () => {
        target.createQueryRunner = createQueryRunner;
        for (const [runner, commit] of wrapped) runner.commitTransaction = commit;
      };
    }

    it('publishes the events of saved aggregates only after the commit', async () => {
      const log: string[] = [];
      const eventsSeenInsideWork: number[] = [];
      const restore = recordCommits(dataSource, log);
      const published = harness.published;
      const push = published.push.bind(published);
      published.push = (...events) => {
        log.push(`publish ${events.map((event) => event.type).join(',')}`);
        return push(...events);
      };
      const user = newUser();
      try {
        await harness.unitOfWork.run(async () => {
          await harness.users.save(user);
          eventsSeenInsideWork.push(published.length);
        });
      } finally {
        restore();
      }

      expect(eventsSeenInsideWork).toEqual([0]);
      expect(log).toEqual(['commit', 'publish identity.user_registered']);
      expect(published).toHaveLength(1);
      expect(published[0]).toBeInstanceOf(UserRegistered);
      expect(published[0].aggregateId).toBe(user.id);
      // Handed over exactly once: a later save of the same aggregate does not publish it again.
      await harness.unitOfWork.run(() => harness.users.save(user));
      expect(published).toHaveLength(1);
    });

    it('publishes nothing and stores nothing when the work throws (rollback)', async () => {
      const user = newUser();
      const failure = new Error('handler failed after saving');

      await expect(
        harness.unitOfWork.run(async () => {
          await harness.users.save(user);
          throw failure;
        }),
      ).rejects.toBe(failure);

      expect(harness.published).toEqual([]);
      expect(await harness.users.findById(user.id)).toBeUndefined();
      // The rolled-back aggregate still counts as new and can be saved (and announced) by a later attempt.
      expect(user.isNew).toBe(true);
      await harness.unitOfWork.run(() => harness.users.save(user));
      expect(harness.published.map((event) => event.type)).toEqual(['identity.user_registered']);
    });
  });
});
