import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { RefreshTokenReusedError } from '../../src/modules/identity/domain/identity.errors.js';
import { RefreshToken } from '../../src/modules/identity/domain/refresh-token.entity.js';
import { RefreshTokenOrmEntity } from '../../src/modules/identity/infrastructure/persistence/refresh-token.orm-entity.js';
import { createPersistenceHarness, type PersistenceHarness } from '../support/persistence-harness.js';
import { createTestDataSource } from '../support/test-data-source.js';
import { describeProfile } from '../support/test-profile.js';

const HOUR = 3_600_000;

describe(describeProfile('TypeOrmRefreshTokenRepository'), () => {
  let dataSource: DataSource;
  let harness: PersistenceHarness;

  beforeAll(async () => {
    dataSource = await createTestDataSource();
    harness = createPersistenceHarness(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  function issue(params: { userId?: string; familyId?: string; now?: Date } = {}): RefreshToken {
    return RefreshToken.issue({
      id: uuidv7(),
      familyId: params.familyId ?? uuidv7(),
      userId: params.userId ?? uuidv7(),
      tokenHash: randomBytes(32).toString('hex'),
      now: params.now ?? new Date('2031-01-01T00:00:00.000Z'),
      ttlMs: HOUR,
    });
  }

  async function add(...tokens: RefreshToken[]): Promise<void> {
    await harness.unitOfWork.run(async () => {
      for (const token of tokens) await harness.refreshTokens.add(token);
    });
  }

  /** The stored row, read straight from the table (not through the adapter under test). */
  async function row(token: RefreshToken): Promise<RefreshTokenOrmEntity> {
    return dataSource.getRepository(RefreshTokenOrmEntity).findOneByOrFail({ id: token.id });
  }

  it('stores a token and finds it by its hash', async () => {
    const token = issue();
    await add(token);

    const found = await harness.refreshTokens.findByHash(token.snapshot().tokenHash);
    expect(found?.snapshot()).toEqual(token.snapshot());
    expect(found?.snapshot().expiresAt.toISOString()).toBe('2031-01-01T01:00:00.000Z');
    expect(await harness.refreshTokens.findByHash(randomBytes(32).toString('hex'))).toBeUndefined();
  });

  it('maps every column back, used and revoked times included, and nothing more', async () => {
    const token = issue();
    await add(token);
    const usedAt = new Date('2031-01-01T00:30:00.123Z');
    const revokedAt = new Date('2031-01-01T00:40:00.456Z');
    await harness.unitOfWork.run(async () => {
      expect(await harness.refreshTokens.claim(token, usedAt)).toBe(true);
      await harness.refreshTokens.revokeFamily(token.familyId, revokedAt);
    });

    const found = await harness.refreshTokens.findByHash(token.snapshot().tokenHash);

    expect(found?.snapshot()).toEqual({ ...token.snapshot(), usedAt, revokedAt });
    expect(Object.keys(found?.snapshot() ?? {}).sort()).toEqual(Object.keys(token.snapshot()).sort());
    expect(found?.familyId).toBe(token.familyId);
    expect(found?.userId).toBe(token.userId);
    expect(() => found?.assertExchangeable(new Date('2031-01-01T00:50:00.000Z'))).toThrow(RefreshTokenReusedError);
  });

  it('lets exactly one of 10 concurrent claims of one token win', async () => {
    const token = issue();
    await add(token);
    const now = new Date('2031-01-01T00:30:00.000Z');

    const results = await Promise.all(
      Array.from({ length: 10 }, () => harness.unitOfWork.run(() => harness.refreshTokens.claim(token, now))),
    );

    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await row(token)).usedAt?.toISOString()).toBe(now.toISOString());
    // A later exchange of the spent token loses too.
    expect(await harness.unitOfWork.run(() => harness.refreshTokens.claim(token, new Date()))).toBe(false);
  });

  it('refuses to claim a revoked token', async () => {
    const token = issue();
    await add(token);
    await harness.unitOfWork.run(() => harness.refreshTokens.revokeFamily(token.familyId, new Date()));

    expect(await harness.unitOfWork.run(() => harness.refreshTokens.claim(token, new Date()))).toBe(false);
    expect((await row(token)).usedAt).toBeNull();
  });

  it('revokes every live token of one family, keeps earlier revocations and leaves other families alone', async () => {
    const userId = uuidv7();
    const familyId = uuidv7();
    const [first, second] = [issue({ userId, familyId }), issue({ userId, familyId })];
    const otherFamily = issue({ userId });
    await add(first, second, otherFamily);
    const earlier = new Date('2031-01-01T00:10:00.000Z');
    await harness.unitOfWork.run(() => harness.refreshTokens.revokeFamily(familyId, earlier));
    const rotated = issue({ userId, familyId });
    await add(rotated);
    const now = new Date('2031-01-01T00:20:00.000Z');

    await harness.unitOfWork.run(() => harness.refreshTokens.revokeFamily(familyId, now));

    expect((await row(first)).revokedAt?.toISOString()).toBe(earlier.toISOString());
    expect((await row(second)).revokedAt?.toISOString()).toBe(earlier.toISOString());
    expect((await row(rotated)).revokedAt?.toISOString()).toBe(now.toISOString());
    expect((await row(otherFamily)).revokedAt).toBeNull();
  });

  it('revokes every live token of one user across families and leaves other users alone', async () => {
    const userId = uuidv7();
    const mine = [issue({ userId }), issue({ userId }), issue({ userId })];
    const someoneElses = issue();
    await add(...mine, someoneElses);
    const earlier = new Date('2031-01-01T00:05:00.000Z');
    await harness.unitOfWork.run(() => harness.refreshTokens.revokeFamily(mine[0].familyId, earlier));
    const now = new Date('2031-01-01T00:15:00.000Z');

    await harness.unitOfWork.run(() => harness.refreshTokens.revokeAllOfUser(userId, now));

    expect((await row(mine[0])).revokedAt?.toISOString()).toBe(earlier.toISOString());
    expect((await row(mine[1])).revokedAt?.toISOString()).toBe(now.toISOString());
    expect((await row(mine[2])).revokedAt?.toISOString()).toBe(now.toISOString());
    expect((await row(someoneElses)).revokedAt).toBeNull();
    for (const token of mine) {
      expect(await harness.unitOfWork.run(() => harness.refreshTokens.claim(token, now))).toBe(false);
    }
  });
});
