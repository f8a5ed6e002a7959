import { TransactionContext } from '../../src/platform/persistence/transaction-context.js';
import type { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { Product } from '../../src/modules/catalog/domain/product.aggregate.js';
import { Sku } from '../../src/modules/catalog/domain/sku.value-object.js';
import { ProductViewCache } from '../../src/modules/catalog/infrastructure/caching/product-view-cache.js';
import { CatalogFacade } from '../../src/modules/catalog/infrastructure/catalog-facade.js';
import { TypeOrmProductReadModel } from '../../src/modules/catalog/infrastructure/persistence/typeorm-product.read-model.js';
import { TypeOrmProductRepository } from '../../src/modules/catalog/infrastructure/persistence/typeorm-product.repository.js';
import { TieredCacheProvider } from '../../src/platform/cache/tiered-cache.provider.js';
import { MetricsRegistry } from '../../src/platform/metrics/metrics-registry.js';
import { Money } from '../../src/shared/domain/money.js';
import { createPersistenceHarness, type PersistenceHarness } from '../support/persistence-harness.js';
import { createTestDataSource } from '../support/test-data-source.js';
import { describeProfile } from '../support/test-profile.js';

/** Catalog's contract for other contexts (ProductCatalog), over the real tables; the cache is in-process here. */
describe(describeProfile('CatalogFacade over TypeORM'), () => {
  let dataSource: DataSource;
  let harness: PersistenceHarness;
  let products: TypeOrmProductRepository;
  let readModel: TypeOrmProductReadModel;
  let facade: CatalogFacade;

  beforeAll(async () => {
    dataSource = await createTestDataSource();
    harness = createPersistenceHarness(dataSource);
    products = new TypeOrmProductRepository(harness.context);
    readModel = new TypeOrmProductReadModel(dataSource, new TransactionContext(dataSource));
    facade = new CatalogFacade(
      readModel,
      new ProductViewCache(
        new TieredCacheProvider(null, new MetricsRegistry(), { namespace: `it-${uuidv7()}:` }),
        readModel,
      ),
    );
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  async function stored(amount = 1290): Promise<Product> {
    const product = Product.create({
      id: uuidv7(),
      sku: Sku.create(`fc-${uuidv7().replace(/-/g, '')}`),
      name: 'Facade mug',
      description: 'Read by other contexts',
      price: Money.of(amount, 'EUR'),
      now: new Date(),
    });
    await harness.unitOfWork.run(() => products.save(product));
    return product;
  }

  it('find: the public state other contexts rely on; undefined for an unknown id', async () => {
    const product = await stored();
    expect(await facade.find(product.id)).toEqual({
      id: product.id,
      sku: product.snapshot().sku,
      name: 'Facade mug',
      price: { amount: 1290, currency: 'EUR' },
      status: 'active',
      version: 1,
    });
    expect(await facade.find(uuidv7())).toBeUndefined();
  });

  it('find: archived products are still found (orders refer to them)', async () => {
    const product = await stored();
    const loaded = (await products.findById(product.id))!;
    loaded.archive(new Date());
    await harness.unitOfWork.run(() => products.save(loaded));
    expect(await facade.find(product.id)).toMatchObject({ status: 'archived', version: 2 });
  });

  it('findMany: one map for several ids, duplicates once, unknown ids absent', async () => {
    const [a, b] = [await stored(100), await stored(200)];
    const unknown = uuidv7();
    const found = await facade.findMany([a.id, b.id, a.id, unknown]);
    expect([...found.keys()].sort()).toEqual([a.id, b.id].sort());
    expect(found.get(b.id)?.price).toEqual({ amount: 200, currency: 'EUR' });
    expect(await facade.findMany([])).toEqual(new Map());
  });

  it('findBySku: in any case and with surrounding blanks; undefined when no product has it', async () => {
    const product = await stored();
    const sku = product.snapshot().sku;
    expect((await facade.findBySku(sku.toLowerCase()))?.id).toBe(product.id);
    expect((await facade.findBySku(` ${sku} `))?.id).toBe(product.id);
    expect(await facade.findBySku(`${sku}-NOPE`)).toBeUndefined();
  });
});
