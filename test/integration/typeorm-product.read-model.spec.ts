import { TransactionContext } from '../../src/platform/persistence/transaction-context.js';
import fc from 'fast-check';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { ProductListFilter, ProductSort } from '../../src/modules/catalog/application/ports/product-read-model.js';
import type { ProductView } from '../../src/modules/catalog/application/product-view.js';
import { Product } from '../../src/modules/catalog/domain/product.aggregate.js';
import { Sku } from '../../src/modules/catalog/domain/sku.value-object.js';
import { TypeOrmProductReadModel } from '../../src/modules/catalog/infrastructure/persistence/typeorm-product.read-model.js';
import { TypeOrmProductRepository } from '../../src/modules/catalog/infrastructure/persistence/typeorm-product.repository.js';
import { encodeCursor } from '../../src/shared/application/cursor.js';
import { ValidationFailedError } from '../../src/shared/domain/domain-error.js';
import { Money } from '../../src/shared/domain/money.js';
import { createPersistenceHarness, type PersistenceHarness } from '../support/persistence-harness.js';
import { createTestDataSource } from '../support/test-data-source.js';
import { describeProfile } from '../support/test-profile.js';

/**
 * A prefix no other test or run shares (lower-case letters and digits: no LIKE wildcard, and it sorts the same
 * under SQLite's binary collation and MariaDB's utf8mb4_unicode_ci). Every product of a test carries it in its
 * name, and every list filters by it through `q`, because the server profile keeps one database for every run.
 */
function uniquePrefix(): string {
  return `pf${uuidv7().replace(/-/g, '')}`;
}

const SORTS: readonly ProductSort[] = (['name', 'price', 'createdAt'] as const).flatMap((field) => [
  { field, descending: false },
  { field, descending: true },
]);
const token = (sort: ProductSort) => `${sort.descending ? '-' : ''}${sort.field}`;

/** The order the API promises: the sort key, then the id as tie-break, both in the sort's direction. */
function sortedIds(views: readonly ProductView[], sort: ProductSort): string[] {
  const key = (view: ProductView): string | number =>
    sort.field === 'name' ? view.name : sort.field === 'price' ? view.price.amount : Date.parse(view.createdAt);
  const ascending = [...views].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    if (ka !== kb) return ka < kb ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  return (sort.descending ? ascending.reverse() : ascending).map((view) => view.id);
}

describe(describeProfile('TypeOrmProductReadModel'), () => {
  let dataSource: DataSource;
  let harness: PersistenceHarness;
  let products: TypeOrmProductRepository;
  let readModel: TypeOrmProductReadModel;

  beforeAll(async () => {
    dataSource = await createTestDataSource();
    harness = createPersistenceHarness(dataSource);
    products = new TypeOrmProductRepository(harness.context);
    readModel = new TypeOrmProductReadModel(dataSource, new TransactionContext(dataSource));
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  let counter = 0;
  function newProduct(params: { name: string; amount?: number; now?: Date; sku?: string }): Product {
    counter += 1;
    return Product.create({
      id: uuidv7(),
      sku: Sku.create(params.sku ?? `RM${uuidv7().replace(/-/g, '')}${counter}`),
      name: params.name,
      description: '',
      price: Money.of(params.amount ?? 100, 'EUR'),
      now: params.now ?? new Date(),
    });
  }

  async function store(...items: Product[]): Promise<ProductView[]> {
    await harness.unitOfWork.run(async () => {
      for (const item of items) await products.save(item);
    });
    return Promise.all(items.map(async (item) => (await readModel.findById(item.id))!));
  }

  const filterFor = (q: string, sort: ProductSort, limit: number): Omit<ProductListFilter, 'cursor'> => ({
    q,
    status: 'active',
    sort,
    limit,
  });

  /** Follows nextCursor to the end; fails rather than looping forever if the cursor never runs out. */
  async function listAll(filter: Omit<ProductListFilter, 'cursor'>): Promise<ProductView[][]> {
    const pages: ProductView[][] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 200; guard++) {
      const page = await readModel.list({ ...filter, cursor });
      pages.push(page.items);
      if (page.nextCursor === null) return pages;
      cursor = page.nextCursor;
    }
    throw new Error('nextCursor never became null');
  }

  const ids = async (filter: Omit<ProductListFilter, 'cursor'>) => (await listAll(filter)).flat().map((v) => v.id);

  describe('keyset pagination with ties, for every sort', () => {
    const prefix = uniquePrefix();
    let views: ProductView[];

    beforeAll(async () => {
      // 3 names × 3 prices × 3 creation times, assigned so that every sort key has many ties.
      const names = [`${prefix} apple`, `${prefix} banana`, `${prefix} cherry`];
      const prices = [0, 250, 1999];
      const times = ['2030-01-01T00:00:00.000Z', '2030-01-01T00:00:00.001Z', '2030-06-01T12:30:45.678Z'];
      const items: Product[] = [];
      for (let index = 0; index < 17; index++) {
        items.push(
          newProduct({
            name: names[index % 3],
            amount: prices[Math.floor(index / 3) % 3],
            now: new Date(times[(index * 7) % 3]),
          }),
        );
      }
      views = await store(...items);
    });

    for (const sort of SORTS) {
      for (const limit of [1, 2, 5, 17, 100]) {
        it(`${token(sort)}, limit ${limit}: the pages concatenate to the sorted list`, async () => {
          const pages = await listAll(filterFor(prefix, sort, limit));
          const expected = sortedIds(views, sort);
          expect(pages.flat().map((view) => view.id)).toEqual(expected);
          expect(pages.slice(0, -1).every((page) => page.length === limit)).toBe(true);
          expect(pages.at(-1)!.length).toBeGreaterThan(0);
          expect(new Set(pages.flat().map((view) => view.id)).size).toBe(views.length);
        });
      }
    }

    it('the default order is -createdAt (newest first, then id descending)', async () => {
      expect(await ids(filterFor(prefix, { field: 'createdAt', descending: true }, 4))).toEqual(
        sortedIds(views, { field: 'createdAt', descending: true }),
      );
    });

    it('pages by name even when the names are as long as allowed and not ASCII (the cursor carries the name)', async () => {
      const long = uniquePrefix();
      const names = ['日', '"', '🫖', '\u0001'].map(
        (unit) => `${long}${unit.repeat((200 - long.length) / unit.length)}`,
      );
      const stored = await store(...names.map((name) => newProduct({ name: name.slice(0, 200) })));
      for (const sort of SORTS.filter((one) => one.field === 'name')) {
        const pages = await listAll(filterFor(long, sort, 1));
        expect(pages.flat().map((view) => view.id)).toEqual(sortedIds(stored, sort));
      }
    });

    it('a cursor from another sort is 400 40000 on cursor, never a silently wrong page', async () => {
      for (const from of SORTS) {
        const page = await readModel.list({ ...filterFor(prefix, from, 2) });
        expect(page.nextCursor).not.toBeNull();
        for (const to of SORTS.filter((other) => token(other) !== token(from))) {
          const attempt = readModel.list({ ...filterFor(prefix, to, 2), cursor: page.nextCursor! });
          await expect(attempt, `${token(from)} → ${token(to)}`).rejects.toThrow(ValidationFailedError);
          await expect(attempt).rejects.toMatchObject({ code: 40000, violations: [{ field: 'cursor' }] });
        }
      }
    });

    it('a forged or malformed cursor is 400 40000', async () => {
      const sort: ProductSort = { field: 'createdAt', descending: false };
      for (const cursor of [
        'not-a-cursor',
        encodeCursor(['createdAt', 'yesterday', uuidv7()]),
        encodeCursor(['createdAt', 5, uuidv7()]),
        encodeCursor(['createdAt', '2030-01-01T00:00:00.000Z']),
      ]) {
        await expect(readModel.list({ ...filterFor(prefix, sort, 2), cursor })).rejects.toMatchObject({
          code: 40000,
        });
      }
    });
  });

  it('property: random products, sort and limit → the pages concatenate to the sorted list', async () => {
    const product = fc.record({
      name: fc.constantFrom('a', 'b', 'b b', 'ab', 'z9', '0'),
      amount: fc.constantFrom(0, 1, 100, 100, 101, 9_007_199_254_740_991),
      offsetMs: fc.constantFrom(0, 0, 1, 999, 1000, 86_400_000),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(product, { minLength: 0, maxLength: 12 }),
        fc.constantFrom(...SORTS),
        fc.integer({ min: 1, max: 6 }),
        async (specs, sort, limit) => {
          const prefix = uniquePrefix();
          const base = Date.parse('2029-03-04T05:06:07.089Z');
          const views = await store(
            ...specs.map((spec) =>
              newProduct({ name: `${prefix} ${spec.name}`, amount: spec.amount, now: new Date(base + spec.offsetMs) }),
            ),
          );
          const pages = await listAll(filterFor(prefix, sort, limit));
          expect(pages.flat().map((view) => view.id)).toEqual(sortedIds(views, sort));
          expect(pages.length).toBe(Math.max(1, Math.ceil(views.length / limit)));
        },
      ),
      { numRuns: 25 },
    );
  });

  it("findBySku and findById: the look-ups behind catalog's facade", async () => {
    const prefix = uniquePrefix();
    const [a, b] = await store(newProduct({ name: `${prefix} a` }), newProduct({ name: `${prefix} b` }));
    expect(await readModel.findBySku(a.sku)).toEqual(a);
    expect(await readModel.findBySku(`${a.sku}X`)).toBeUndefined();
    expect(await readModel.findById(b.id)).toEqual(b);
    expect(await readModel.findById(uuidv7())).toBeUndefined();
  });

  it('embedded database on a file: the Unicode name search survives the saves after every write', async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'orderly-catalog-'));
    const fileSource = await createTestDataSource({ url: undefined, embeddedFile: join(workDir, 'shop.sqlite') });
    try {
      const fileHarness = createPersistenceHarness(fileSource);
      const fileProducts = new TypeOrmProductRepository(fileHarness.context);
      const fileReadModel = new TypeOrmProductReadModel(fileSource, new TransactionContext(fileSource));
      const sort: ProductSort = { field: 'name', descending: false };
      for (const name of ['ÉCLAIR', 'ÜBER', 'ÅNGSTRÖM']) {
        const product = newProduct({ name });
        await fileHarness.unitOfWork.run(() => fileProducts.save(product));
        const page = await fileReadModel.list(filterFor(name.toLowerCase(), sort, 10));
        expect(page.items.map((view) => view.id)).toEqual([product.id]);
      }
      // The writes were saved to the file (sql.js exports the database for that).
      expect((await stat(join(workDir, 'shop.sqlite'))).size).toBeGreaterThan(0);
    } finally {
      await fileSource.destroy();
      await rm(workDir, { recursive: true, force: true });
    }
  });

  describe('filters', () => {
    it('q: a case-insensitive substring of the name', async () => {
      const prefix = uniquePrefix();
      const [mug, tee, other] = await store(
        newProduct({ name: `${prefix} Enamel MUG large` }),
        newProduct({ name: `${prefix} t-shirt with a mug print` }),
        newProduct({ name: `${prefix} notebook` }),
      );
      const sort: ProductSort = { field: 'name', descending: false };
      expect(await ids(filterFor(`${prefix} ENAMEL mug`, sort, 10))).toEqual([mug.id]);
      expect(await ids(filterFor(`${prefix.toUpperCase()} E`, sort, 10))).toEqual([mug.id]);
      expect((await ids(filterFor(prefix, sort, 10))).sort()).toEqual([mug.id, tee.id, other.id].sort());
      // A substring anywhere in the name, not only a prefix.
      expect(await ids({ ...filterFor(`${prefix} t-shirt with a MUG`, sort, 10) })).toEqual([tee.id]);
    });

    it('q: an exact SKU, in any case (not a SKU substring)', async () => {
      const prefix = uniquePrefix();
      const sku = `SKU${prefix.toUpperCase()}-7`;
      const [exact] = await store(
        newProduct({ name: 'Nothing in common', sku }),
        newProduct({ name: 'Other', sku: `${sku}8` }),
      );
      const sort: ProductSort = { field: 'createdAt', descending: true };
      expect(await ids(filterFor(sku.toLowerCase(), sort, 10))).toEqual([exact.id]);
      expect(await ids(filterFor(` ${sku} `, sort, 10))).toEqual([exact.id]);
      expect(await ids(filterFor(sku.slice(0, -2), sort, 10))).toEqual([]);
    });

    it('q: % _ ! and \\ match only themselves', async () => {
      const prefix = uniquePrefix();
      const names = ['100% cotton', '100x cotton', 'a_b', 'axb', 'wow!', 'wo', 'back\\slash', 'back/slash'];
      const stored = await store(...names.map((name) => newProduct({ name: `${prefix} ${name}` })));
      const byName = new Map(stored.map((view) => [view.name.slice(prefix.length + 1), view.id]));
      const sort: ProductSort = { field: 'name', descending: false };
      const search = (q: string) => ids(filterFor(`${prefix} ${q}`, sort, 10));
      expect(await search('100%')).toEqual([byName.get('100% cotton')]);
      expect(await search('a_b')).toEqual([byName.get('a_b')]);
      expect(await search('wow!')).toEqual([byName.get('wow!')]);
      expect(await search('back\\')).toEqual([byName.get('back\\slash')]);
      expect(await ids(filterFor('%', sort, 100))).not.toEqual(expect.arrayContaining([byName.get('axb')]));
      expect(await ids(filterFor(`${prefix} %`, sort, 10))).toEqual([]);
    });

    it('q: SQL-looking, unicode and emoji names are found verbatim', async () => {
      const prefix = uniquePrefix();
      const names = [
        "'; DROP TABLE catalog_products; --",
        'Crème brûlée ☕',
        'Teekanne 🫖 grün',
        '日本茶',
        'ÉCLAIR ÜBER',
      ];
      // The prefix on both ends, so a search for the middle of a name is unique to this run too.
      const stored = await store(...names.map((name) => newProduct({ name: `${prefix} ${name} ${prefix}` })));
      const sort: ProductSort = { field: 'name', descending: false };
      for (const [index, name] of names.entries()) {
        const found = (await listAll(filterFor(`${prefix} ${name}`, sort, 10))).flat();
        expect(found.map((view) => view.name)).toEqual([`${prefix} ${name} ${prefix}`]);
        expect(found[0].id).toBe(stored[index].id);
      }
      expect(await ids(filterFor(`🫖 grün ${prefix}`, sort, 10))).toEqual([stored[2].id]);
      expect(await ids(filterFor(`茶 ${prefix}`, sort, 10))).toEqual([stored[3].id]);
      // Case-insensitive beyond ASCII, on both profiles.
      expect(await ids(filterFor(`${prefix} CRÈME BRÛLÉE`, sort, 10))).toEqual([stored[1].id]);
      expect(await ids(filterFor(`TEEKANNE 🫖 GRÜN ${prefix.toUpperCase()}`, sort, 10))).toEqual([stored[2].id]);
      expect(await ids(filterFor(`${prefix} éclair über`, sort, 10))).toEqual([stored[4].id]);
    });

    it('minPrice and maxPrice are inclusive, also across pages', async () => {
      const prefix = uniquePrefix();
      const stored = await store(
        ...[0, 99, 100, 150, 200, 201, 200].map((amount) => newProduct({ name: `${prefix} p`, amount })),
      );
      const idsAt = (...amounts: number[]) =>
        sortedIds(
          stored.filter((view) => amounts.includes(view.price.amount)),
          { field: 'price', descending: false },
        );
      const sort: ProductSort = { field: 'price', descending: false };
      const base = filterFor(prefix, sort, 2);
      expect(await ids({ ...base, minPrice: 100, maxPrice: 200 })).toEqual(idsAt(100, 150, 200));
      expect(await ids({ ...base, minPrice: 200 })).toEqual(idsAt(200, 201));
      expect(await ids({ ...base, maxPrice: 99 })).toEqual(idsAt(0, 99));
      expect(await ids({ ...base, minPrice: 0, maxPrice: 0 })).toEqual(idsAt(0));
      expect(await ids({ ...base, minPrice: 202 })).toEqual([]);
      expect(await ids({ ...base, minPrice: 150, maxPrice: 100 })).toEqual([]);
    });

    it('status: archived products only in the archived list', async () => {
      const prefix = uniquePrefix();
      const [kept, gone] = await store(newProduct({ name: `${prefix} kept` }), newProduct({ name: `${prefix} gone` }));
      const archived = (await products.findById(gone.id))!;
      archived.archive(new Date());
      await store(archived);
      const sort: ProductSort = { field: 'name', descending: true };
      expect(await ids(filterFor(prefix, sort, 10))).toEqual([kept.id]);
      expect(await ids({ ...filterFor(prefix, sort, 10), status: 'archived' })).toEqual([gone.id]);
      expect(await readModel.findById(gone.id)).toMatchObject({ status: 'archived', version: 2 });
    });

    it('an empty result is one empty page with a null cursor', async () => {
      expect(await readModel.list(filterFor(uniquePrefix(), SORTS[0], 5))).toEqual({ items: [], nextCursor: null });
    });
  });
});
