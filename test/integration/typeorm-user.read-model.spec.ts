import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { UserView } from '../../src/modules/identity/application/user-view.js';
import { TypeOrmUserReadModel } from '../../src/modules/identity/infrastructure/persistence/typeorm-user.read-model.js';
import { encodeCursor } from '../../src/shared/application/cursor.js';
import { ValidationFailedError } from '../../src/shared/domain/domain-error.js';
import type { UserListFilter } from '../../src/modules/identity/application/ports/user-read-model.js';
import type { User } from '../../src/modules/identity/domain/user.aggregate.js';
import { createPersistenceHarness, newUser, type PersistenceHarness } from '../support/persistence-harness.js';
import { createTestDataSource } from '../support/test-data-source.js';
import { describeProfile } from '../support/test-profile.js';

/** A prefix no other test or run shares (letters and digits only, so it holds no LIKE wildcard itself). */
function uniquePrefix(): string {
  return `rm${uuidv7().replace(/-/g, '')}`;
}

describe(describeProfile('TypeOrmUserReadModel'), () => {
  let dataSource: DataSource;
  let harness: PersistenceHarness;
  let readModel: TypeOrmUserReadModel;

  beforeAll(async () => {
    dataSource = await createTestDataSource();
    harness = createPersistenceHarness(dataSource);
    readModel = new TypeOrmUserReadModel(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  async function store(...users: User[]): Promise<void> {
    await harness.unitOfWork.run(async () => {
      for (const user of users) await harness.users.save(user);
    });
  }

  /** Follows nextCursor to the end; fails rather than looping forever if the cursor never runs out. */
  async function listAll(filter: Omit<UserListFilter, 'cursor'>): Promise<UserView[][]> {
    const pages: UserView[][] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 50; guard++) {
      const page = await readModel.list({ ...filter, cursor });
      pages.push(page.items);
      if (page.nextCursor === null) return pages;
      cursor = page.nextCursor;
    }
    throw new Error('nextCursor never became null');
  }

  it('pages newest first by keyset, without duplicates or gaps, and ends with a null cursor', async () => {
    const prefix = uniquePrefix();
    const users = Array.from({ length: 25 }, (_, index) => newUser({ email: `${prefix}-${index}@it.example.com` }));
    await store(...users);

    const pages = await listAll({ emailPrefix: prefix, limit: 10 });

    expect(pages.map((page) => page.length)).toEqual([10, 10, 5]);
    const newestFirst = users.map((user) => user.id).reverse();
    expect(pages.flat().map((view) => view.id)).toEqual(newestFirst);
    const first = pages[0][0];
    expect(first).toMatchObject({ email: `${prefix}-24@it.example.com`, roles: ['customer'], status: 'active' });
    expect(first).not.toHaveProperty('passwordHash');
  });

  it('returns an exact last page with a null cursor (no empty page after it)', async () => {
    const prefix = uniquePrefix();
    await store(...Array.from({ length: 4 }, (_, index) => newUser({ email: `${prefix}-${index}@it.example.com` })));

    const pages = await listAll({ emailPrefix: prefix, limit: 2 });

    expect(pages.map((page) => page.length)).toEqual([2, 2]);
    expect(await readModel.list({ emailPrefix: `${prefix}-nobody`, limit: 5 })).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('treats the email prefix literally: % _ and the escape character match only themselves', async () => {
    const tag = uniquePrefix();
    const [underscore, plain, percent, bang] = [`${tag}a_b@x.io`, `${tag}axb@x.io`, `${tag}a%c@x.io`, `${tag}a!d@x.io`];
    await store(...[underscore, plain, percent, bang].map((email) => newUser({ email })));

    const emails = async (emailPrefix: string) =>
      (await readModel.list({ emailPrefix, limit: 10 })).items.map((view) => view.email);

    expect(await emails(`${tag}a_`)).toEqual([underscore]);
    expect(await emails(`${tag}a%`)).toEqual([percent]);
    expect(await emails(`${tag}a!`)).toEqual([bang]);
    expect(await emails(`${tag}ax`)).toEqual([plain]);
    expect(await emails(`${tag.toUpperCase()}A_`)).toEqual([underscore]);
    expect((await emails(`${tag}a`)).sort()).toEqual([underscore, plain, percent, bang].sort());
  });

  it('filters by role and by status, also across pages', async () => {
    const prefix = uniquePrefix();
    const email = (name: string) => `${prefix}-${name}@it.example.com`;
    const customer = newUser({ email: email('customer'), roles: ['customer'] });
    const admin = newUser({ email: email('admin'), roles: ['admin'] });
    const both = newUser({ email: email('both'), roles: ['customer', 'admin'] });
    const suspended = newUser({ email: email('suspended'), roles: ['customer'] });
    const deleted = newUser({ email: email('deleted'), roles: ['admin'] });
    await store(customer, admin, both, suspended, deleted);
    suspended.setStatus('suspended', new Date());
    deleted.deactivate(new Date());
    await store(suspended, deleted);

    const ids = async (filter: Omit<UserListFilter, 'emailPrefix' | 'limit'>, limit = 10) =>
      (await listAll({ ...filter, emailPrefix: prefix, limit })).flat().map((view) => view.id);

    expect(await ids({ role: 'admin' })).toEqual([deleted.id, both.id, admin.id]);
    expect(await ids({ role: 'customer' })).toEqual([suspended.id, both.id, customer.id]);
    expect(await ids({ role: 'customer' }, 1)).toEqual([suspended.id, both.id, customer.id]);
    expect(await ids({ status: 'active' })).toEqual([both.id, admin.id, customer.id]);
    expect(await ids({ status: 'suspended' })).toEqual([suspended.id]);
    expect(await ids({ status: 'deleted', role: 'admin' })).toEqual([deleted.id]);
    expect(await ids({ status: 'deleted', role: 'customer' })).toEqual([]);
    const view = (await readModel.list({ emailPrefix: email('suspended'), limit: 1 })).items[0];
    expect(view).toMatchObject({ status: 'suspended', version: 2 });
  });

  it.each([
    ['not base64url', 'not a cursor!'],
    ['base64url but not JSON', 'bm90LWpzb24'],
    ['the wrong shape', encodeCursor([42])],
    ['too many values', encodeCursor(['a', 'b'])],
  ])('rejects a cursor that is %s with ValidationFailedError', async (_name, cursor) => {
    const error = await readModel.list({ limit: 10, cursor }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect((error as ValidationFailedError).violations).toEqual([{ field: 'cursor', message: expect.any(String) }]);
  });

  it('finds one user as a view', async () => {
    const user = newUser({ roles: ['customer', 'admin'] });
    await store(user);
    expect(await readModel.findById(user.id)).toEqual({
      id: user.id,
      email: user.emailAddress,
      displayName: 'Integration Test',
      roles: ['customer', 'admin'],
      status: 'active',
      version: 1,
      createdAt: user.snapshot().createdAt.toISOString(),
      updatedAt: user.snapshot().updatedAt.toISOString(),
    });
    expect(await readModel.findById(uuidv7())).toBeUndefined();
  });
});
