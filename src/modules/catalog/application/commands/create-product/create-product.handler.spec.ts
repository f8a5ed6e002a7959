import { catalogFakes } from '../../../../../../test/support/fakes/catalog-fakes.js';
import { SequentialIdGenerator } from '../../../../../../test/support/fakes/sequential-id-generator.js';
import { collectViolations, ValidationFailedError } from '../../../../../shared/domain/domain-error.js';
import { SkuTakenError } from '../../../domain/catalog.errors.js';
import { CreateProductCommand } from './create-product.command.js';
import { CreateProductHandler } from './create-product.handler.js';

function setUp() {
  const fakes = catalogFakes();
  const handler = new CreateProductHandler(fakes.products, fakes.settings, fakes.ids, fakes.clock);
  const create = (
    sku: string,
    name = 'Enamel mug',
    price: { amount: number; currency: string } = { amount: 1290, currency: 'EUR' },
    description = 'A sturdy mug',
  ) => fakes.run(handler, new CreateProductCommand(sku, name, description, price));
  return { ...fakes, create };
}

async function fieldsOf(attempt: Promise<unknown>): Promise<string[]> {
  const error = await attempt.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(ValidationFailedError);
  return (error as ValidationFailedError).violations.map((violation) => violation.field);
}

describe('CreateProductHandler', () => {
  it('creates an active product at version 1 with an upper-case SKU, and records ProductCreated', async () => {
    const { create, products, unitOfWork, clock } = setUp();
    const view = await create('mug-001');
    expect(view).toEqual({
      id: SequentialIdGenerator.nth(1),
      sku: 'MUG-001',
      name: 'Enamel mug',
      description: 'A sturdy mug',
      price: { amount: 1290, currency: 'EUR' },
      status: 'active',
      version: 1,
      createdAt: clock.now().toISOString(),
      updatedAt: clock.now().toISOString(),
    });
    expect(products.stateOf(view.id)).toMatchObject({ sku: 'MUG-001', version: 1 });
    expect(unitOfWork.published).toMatchObject([
      { type: 'catalog.product_created', aggregateId: view.id, snapshot: { sku: 'MUG-001', version: 1 } },
    ]);
  });

  it('stores the name and description exactly as sent', async () => {
    const { create } = setUp();
    const name = "'; DROP TABLE catalog_products; -- 100% _x_ ☕";
    const view = await create('SQL-1', name, { amount: 0, currency: 'EUR' }, ' <b>bold</b> ');
    expect(view).toMatchObject({ name, description: ' <b>bold</b> ', price: { amount: 0 } });
  });

  it('lists every invalid field at once, and stores nothing', async () => {
    const { create, products, unitOfWork } = setUp();
    const fields = await fieldsOf(create('-bad sku', '   ', { amount: -5, currency: 'USD' }, 'd'.repeat(4001)));
    expect(fields.sort()).toEqual(['description', 'name', 'price.currency', 'sku']);
    expect(products.rows.size).toBe(0);
    expect(unitOfWork.published).toEqual([]);
  });

  it('a price in another currency than CURRENCY is 400 on price.currency', async () => {
    const { create } = setUp();
    expect(await fieldsOf(create('MUG-1', 'Mug', { amount: 100, currency: 'USD' }))).toEqual(['price.currency']);
  });

  it('a negative or fractional amount is 400 on price.amount', async () => {
    const { create } = setUp();
    expect(await fieldsOf(create('MUG-1', 'Mug', { amount: -1, currency: 'EUR' }))).toEqual(['price.amount']);
    expect(await fieldsOf(create('MUG-1', 'Mug', { amount: 9.99, currency: 'EUR' }))).toEqual(['price.amount']);
  });

  it('a taken SKU, in any case, is SkuTakenError (409 40900); the first product is untouched', async () => {
    const { create, products, unitOfWork } = setUp();
    const first = await create('AB-1');
    const attempt = create('ab-1', 'Another');
    await expect(attempt).rejects.toThrow(SkuTakenError);
    await expect(attempt).rejects.toMatchObject({ code: 40900 });
    expect([...products.rows.keys()]).toEqual([first.id]);
    expect(unitOfWork.publishedTypes()).toEqual(['catalog.product_created']);
  });
});

describe('collectViolations', () => {
  const fail = (field: string) => () => {
    throw ValidationFailedError.forField(field, 'is wrong');
  };

  it('returns every result in order when all checks pass', () => {
    expect(
      collectViolations(
        () => 1,
        () => 'two',
        () => undefined,
      ),
    ).toEqual([1, 'two', undefined]);
  });

  it('runs every check and throws one error listing every violation, in order', () => {
    let ran = 0;
    const count = () => {
      ran += 1;
      return ran;
    };
    let error: unknown;
    try {
      collectViolations(fail('sku'), count, fail('price.amount'), count, () => {
        throw new ValidationFailedError([
          { field: 'a', message: 'x' },
          { field: 'b', message: 'y' },
        ]);
      });
    } catch (caught) {
      error = caught;
    }
    expect(ran).toBe(2);
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect((error as ValidationFailedError).violations.map((v) => v.field)).toEqual(['sku', 'price.amount', 'a', 'b']);
    expect((error as ValidationFailedError).code).toBe(40000);
  });

  it('lets any other error through at once', () => {
    const boom = new Error('database down');
    expect(() =>
      collectViolations(fail('sku'), () => {
        throw boom;
      }),
    ).toThrow(boom);
  });
});
