import type { DataSource, QueryRunner } from 'typeorm';
import type { MysqlDriver } from 'typeorm/driver/mysql/MysqlDriver.js';
import { installPoolAcquireTimeout } from '../../src/platform/persistence/pool-acquire-timeout.js';
import {
  PoolAcquireTimeoutError,
  translatePersistenceError,
} from '../../src/platform/persistence/persistence-errors.js';
import { DependencyUnavailableError } from '../../src/platform/resilience/dependency-unavailable.error.js';
import { createPersistenceHarness } from '../support/persistence-harness.js';
import { createTestDataSource } from '../support/test-data-source.js';
import { describeProfile, testProfile } from '../support/test-profile.js';

const ACQUIRE_TIMEOUT_MS = 200;

/**
 * Runs `query` and reports how it ended and how long it took. A query still waiting after `deadlineMs` counts as
 * failed with "no answer", so a missing acquire timeout fails the test quickly instead of hanging it.
 */
async function timed(query: () => Promise<unknown>, deadlineMs = 3_000): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${deadlineMs} ms`)), deadlineMs);
  });
  try {
    await Promise.race([query(), deadline]);
    return { error: undefined, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

describe.skipIf(testProfile().kind !== 'server')(describeProfile('pool acquire timeout (mysql2)'), () => {
  let dataSource: DataSource;
  let holder: QueryRunner | undefined;

  beforeAll(async () => {
    dataSource = await createTestDataSource({ poolSize: 1, poolAcquireTimeoutMs: ACQUIRE_TIMEOUT_MS });
    // DatabaseModule.onModuleInit does this in the app.
    installPoolAcquireTimeout((dataSource.driver as MysqlDriver).pool, ACQUIRE_TIMEOUT_MS);
  });

  afterEach(async () => {
    if (holder !== undefined && !holder.isReleased) await holder.release();
    holder = undefined;
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  /** Takes the pool's only connection and keeps it inside an open transaction. */
  async function holdTheOnlyConnection(): Promise<QueryRunner> {
    holder = dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query('SELECT 1');
    return holder;
  }

  it('fails a query fast with a 503-mapped error when no connection frees up, and recovers after release', async () => {
    const held = await holdTheOnlyConnection();

    const { error, ms } = await timed(() => dataSource.query('SELECT 1 AS one'));

    expect(error).toBeInstanceOf(PoolAcquireTimeoutError);
    expect(ms).toBeGreaterThanOrEqual(ACQUIRE_TIMEOUT_MS - 20);
    expect(ms).toBeLessThan(1_000);
    const translated = translatePersistenceError(error);
    expect(translated).toBeInstanceOf(DependencyUnavailableError);
    expect((translated as DependencyUnavailableError).code).toBe(50300);

    await held.rollbackTransaction();
    await held.release();

    const after = await timed(() => dataSource.query('SELECT 1 AS one'));
    expect(after.error).toBeUndefined();
    expect(after.ms).toBeLessThan(ACQUIRE_TIMEOUT_MS);
  });

  it('surfaces as DependencyUnavailableError from the unit of work, without retrying', async () => {
    const held = await holdTheOnlyConnection();
    const harness = createPersistenceHarness(dataSource);
    let workRan = false;

    const { error, ms } = await timed(() =>
      harness.unitOfWork.run(async () => {
        workRan = true;
      }),
    );

    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect((error as DependencyUnavailableError).code).toBe(50300);
    expect(workRan).toBe(false);
    expect(ms).toBeLessThan(1_000);
    await held.release();
  });

  it('returns connections that arrive after their callers gave up to the pool', async () => {
    const held = await holdTheOnlyConnection();
    // Three callers give up while the connection is held; they stay queued inside mysql2's pool.
    const abandoned = await Promise.all([1, 2, 3].map(() => timed(() => dataSource.query('SELECT 1'))));
    for (const { error } of abandoned) expect(error).toBeInstanceOf(PoolAcquireTimeoutError);

    await held.commitTransaction();
    await held.release();

    // Each abandoned waiter receives the connection in turn and must hand it straight back; if one kept it,
    // the single-connection pool would be stuck and these would time out.
    for (let round = 0; round < 5; round++) {
      const { error, ms } = await timed(() => dataSource.query('SELECT 1'));
      expect(error).toBeUndefined();
      expect(ms).toBeLessThan(ACQUIRE_TIMEOUT_MS);
    }
  });

  it("answers 503, never a 500, once mysql2's own wait queue is full", async () => {
    const held = await holdTheOnlyConnection();
    // queueLimit is poolSize × 50: fill it with callers that time out but stay queued inside mysql2.
    await Promise.all(Array.from({ length: 50 }, () => timed(() => dataSource.query('SELECT 1'))));

    const { error, ms } = await timed(() => dataSource.query('SELECT 1'));

    expect(ms).toBeLessThan(ACQUIRE_TIMEOUT_MS);
    expect(translatePersistenceError(error)).toBeInstanceOf(DependencyUnavailableError);
    await held.rollbackTransaction();
    await held.release();
  });
});

describe.skipIf(testProfile().kind !== 'server')(describeProfile('query timeout (DB_QUERY_TIMEOUT)'), () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await createTestDataSource({ queryTimeoutMs: 300 });
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('aborts a query that runs past the deadline and maps it to 503', async () => {
    const { error, ms } = await timed(() => dataSource.query('SELECT SLEEP(3)'));
    expect(ms).toBeLessThan(2_000);
    expect(translatePersistenceError(error)).toBeInstanceOf(DependencyUnavailableError);
    const after = await timed(() => dataSource.query('SELECT 1 AS one'));
    expect(after.error).toBeUndefined();
  });
});
