import { TransactionContext } from '../../src/platform/persistence/transaction-context.js';
import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { SkuTakenError } from '../../src/modules/catalog/domain/catalog.errors.js';
import { Product } from '../../src/modules/catalog/domain/product.aggregate.js';
import { Sku } from '../../src/modules/catalog/domain/sku.value-object.js';
import { TypeOrmProductReadModel } from '../../src/modules/catalog/infrastructure/persistence/typeorm-product.read-model.js';
import { TypeOrmProductRepository } from '../../src/modules/catalog/infrastructure/persistence/typeorm-product.repository.js';
import { ConcurrentUpdateError } from '../../src/shared/domain/domain-error.js';
import { Money } from '../../src/shared/domain/money.js';
import { createPersistenceHarness, type PersistenceHarness } from '../support/persistence-harness.js';
import { createTestDataSource } from '../support/test-data-source.js';
import { describeProfile } from '../support/test-profile.js';

/** A SKU no other test or run shares (the server profile keeps one database for every run). */
function uniqueSku(label = 'IT'): string {
  return `${label}-${uuidv7().replace(/-/g, '')}`.toUpperCase();
}

function newProduct(
  params: { sku?: string; name?: string; description?: string; amount?: number; now?: Date } = {},
): Product {
  return Product.create({
    id: uuidv7(),
    sku: Sku.create(params.sku ?? uniqueSku()),
    name: params.name ?? 'Integration mug',
    description: params.description ?? 'A sturdy mug',
    price: Money.of(params.amount ?? 1290, 'EUR'),
    now: params.now ?? new Date(),
  });
}

describe(describeProfile('TypeOrmProductRepository'), () => {
  let dataSource: DataSource;
  let harness: PersistenceHarness;
  let products: TypeOrmProductRepository;

  beforeAll(async () => {
    dataSource = await createTestDataSource();
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  beforeEach(() => {
    harness = createPersistenceHarness(dataSource);
    products = new TypeOrmProductRepository(harness.context);
  });

  const save = (...items: Product[]) =>
    harness.unitOfWork.run(async () => {
      for (const item of items) await products.save(item);
    });

  it('inserts a product and loads it back unchanged (text verbatim, money, dates, version)', async () => {
    const now = new Date('2031-02-03T04:05:06.789Z');
    const name = "'; DROP TABLE catalog_products; -- 100% _cotton_ Crème brûlée ☕ 🍰";
    const product = newProduct({
      name,
      description: ' line 1\n\t"quoted" \\ back ',
      amount: Number.MAX_SAFE_INTEGER,
      now,
    });
    await save(product);

    const loaded = await products.findById(product.id);
    expect(loaded?.snapshot()).toEqual(product.snapshot());
    expect(loaded?.snapshot().createdAt.toISOString()).toBe('2031-02-03T04:05:06.789Z');
    expect(loaded?.snapshot().price.amount).toBe(Number.MAX_SAFE_INTEGER);
    expect(loaded?.isNew).toBe(false);
    expect(loaded?.hasUnsavedChanges).toBe(false);
    expect(await products.findById(uuidv7())).toBeUndefined();

    const view = await new TypeOrmProductReadModel(dataSource, new TransactionContext(dataSource)).findById(product.id);
    expect(view).toMatchObject({ name, price: { amount: Number.MAX_SAFE_INTEGER, currency: 'EUR' }, version: 1 });
  });

  it('writes the product and its event in one transaction (the outbox row is committed with it)', async () => {
    const product = newProduct();
    await save(product);
    expect(harness.published.map((event) => [event.type, event.aggregateId])).toEqual([
      ['catalog.product_created', product.id],
    ]);
    expect(harness.committedEventIds).toHaveLength(1);
  });

  it('updates with one version step, keeping createdAt', async () => {
    const created = new Date('2031-01-01T00:00:00.000Z');
    const product = newProduct({ now: created });
    await save(product);

    const loaded = (await products.findById(product.id))!;
    const later = new Date('2031-01-02T00:00:00.001Z');
    loaded.revise({ name: 'Renamed', price: Money.of(1, 'EUR'), sku: Sku.create(uniqueSku('NEW')) }, later);
    await save(loaded);

    const reloaded = (await products.findById(product.id))!.snapshot();
    expect(reloaded).toMatchObject({ name: 'Renamed', price: Money.of(1, 'EUR'), version: 2 });
    expect(reloaded.createdAt.toISOString()).toBe(created.toISOString());
    expect(reloaded.updatedAt.toISOString()).toBe(later.toISOString());
  });

  it('an unchanged product is not written (no version step, no event)', async () => {
    const product = newProduct();
    await save(product);
    const loaded = (await products.findById(product.id))!;
    loaded.revise({ name: 'Integration mug' }, new Date());
    await save(loaded);
    expect((await products.findById(product.id))?.version).toBe(1);
    expect(harness.published.map((event) => event.type)).toEqual(['catalog.product_created']);
  });

  it('rejects the second of two saves based on the same version (optimistic locking, 40901)', async () => {
    const product = newProduct();
    await save(product);
    const first = (await products.findById(product.id))!;
    const second = (await products.findById(product.id))!;
    first.revise({ name: 'First' }, new Date());
    second.revise({ name: 'Second' }, new Date());
    await save(first);

    const attempt = save(second);
    await expect(attempt).rejects.toThrow(ConcurrentUpdateError);
    await expect(attempt).rejects.toMatchObject({ code: 40901 });
    expect((await products.findById(product.id))?.snapshot()).toMatchObject({ name: 'First', version: 2 });
  });

  it('a taken SKU is SkuTakenError (409 40900), in any case: ab-1 and AB-1 are one SKU', async () => {
    const sku = uniqueSku('ab');
    const first = newProduct({ sku: sku.toLowerCase() });
    await save(first);
    expect(first.snapshot().sku).toBe(sku);

    const duplicate = newProduct({ sku: sku.toUpperCase() });
    const attempt = save(duplicate);
    await expect(attempt).rejects.toThrow(SkuTakenError);
    await expect(attempt).rejects.toMatchObject({ code: 40900 });
    expect(await products.findById(duplicate.id)).toBeUndefined();
  });

  it('moving a product to a SKU another one has is SkuTakenError, and nothing changes', async () => {
    const taken = newProduct();
    const mover = newProduct();
    await save(taken, mover);
    const loaded = (await products.findById(mover.id))!;
    loaded.revise({ sku: Sku.create(taken.snapshot().sku.toLowerCase()), name: 'Moved' }, new Date());

    await expect(save(loaded)).rejects.toThrow(SkuTakenError);
    expect((await products.findById(mover.id))?.snapshot()).toMatchObject({
      sku: mover.snapshot().sku,
      name: 'Integration mug',
      version: 1,
    });
  });

  it('concurrent creations of one SKU: exactly one wins, the others are SkuTakenError', async () => {
    const sku = uniqueSku('RACE');
    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, () => harness.unitOfWork.run(() => products.save(newProduct({ sku })))),
    );
    expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
    for (const attempt of attempts) {
      if (attempt.status === 'rejected') expect(attempt.reason).toBeInstanceOf(SkuTakenError);
    }
  });
});
