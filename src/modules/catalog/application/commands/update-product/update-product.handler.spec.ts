import { catalogFakes } from '../../../../../../test/support/fakes/catalog-fakes.js';
import { PreconditionFailedError, ValidationFailedError } from '../../../../../shared/domain/domain-error.js';
import { Money } from '../../../../../shared/domain/money.js';
import { ProductNotFoundError, SkuTakenError } from '../../../domain/catalog.errors.js';
import { UpdateProductCommand } from './update-product.command.js';
import { UpdateProductHandler } from './update-product.handler.js';

type Changes = UpdateProductCommand['changes'];

function setUp() {
  const fakes = catalogFakes();
  const handler = new UpdateProductHandler(fakes.products, fakes.settings, fakes.clock);
  const mug = fakes.seedProduct({ sku: 'MUG-001', version: 3 });
  const update = (productId: string, changes: Changes, expectedVersions?: readonly number[]) =>
    fakes.run(handler, new UpdateProductCommand(productId, changes, expectedVersions));
  return { ...fakes, update, mug };
}

async function fieldsOf(attempt: Promise<unknown>): Promise<string[]> {
  const error = await attempt.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(ValidationFailedError);
  return (error as ValidationFailedError).violations.map((violation) => violation.field);
}

describe('UpdateProductHandler', () => {
  it('applies every given field in one version step and one event; other fields stay', async () => {
    const { update, mug, products, unitOfWork, clock } = setUp();
    clock.advance(60_000);
    const view = await update(mug.id, { name: 'Tin mug', price: { amount: 990, currency: 'EUR' }, sku: 'mug-002' });
    expect(view).toMatchObject({
      sku: 'MUG-002',
      name: 'Tin mug',
      description: 'A sturdy mug',
      price: { amount: 990, currency: 'EUR' },
      version: 4,
      updatedAt: clock.now().toISOString(),
    });
    expect(products.stateOf(mug.id)).toMatchObject({ version: 4, price: Money.of(990, 'EUR') });
    expect(unitOfWork.publishedTypes()).toEqual(['catalog.product_changed']);
  });

  it('a PATCH that changes nothing writes nothing, records nothing and keeps the version', async () => {
    const { update, mug, products, unitOfWork } = setUp();
    const view = await update(mug.id, { name: 'Enamel mug', sku: 'mug-001' }, [3]);
    expect(view.version).toBe(3);
    expect(products.writes).toBe(0);
    expect(unitOfWork.published).toEqual([]);
  });

  it('lists every invalid field at once before loading anything (even for an unknown id)', async () => {
    const { update } = setUp();
    const fields = await fieldsOf(
      update('00000000-0000-7000-8000-00000000ffff', {
        sku: 'no spaces',
        name: ' ',
        description: 'd'.repeat(4001),
        price: { amount: -1, currency: 'USD' },
      }),
    );
    expect(fields.sort()).toEqual(['description', 'name', 'price.currency', 'sku']);
  });

  it('a price in another currency is 400 on price.currency; nothing changes', async () => {
    const { update, mug, products } = setUp();
    expect(await fieldsOf(update(mug.id, { price: { amount: 100, currency: 'GBP' } }))).toEqual(['price.currency']);
    expect(products.stateOf(mug.id)?.version).toBe(3);
  });

  describe('If-Match', () => {
    it('the current version applies the change', async () => {
      const { update, mug } = setUp();
      expect((await update(mug.id, { name: 'New' }, [3])).version).toBe(4);
    });

    it('a stale version or an empty list (weak/malformed tag) is 412 41200 and changes nothing', async () => {
      const { update, mug, products, unitOfWork } = setUp();
      for (const expected of [[2], [4], []]) {
        const attempt = update(mug.id, { name: 'New' }, expected);
        await expect(attempt).rejects.toThrow(PreconditionFailedError);
        await expect(attempt).rejects.toMatchObject({ code: 41200 });
      }
      expect(products.stateOf(mug.id)).toMatchObject({ name: 'Enamel mug', version: 3 });
      expect(unitOfWork.published).toEqual([]);
    });

    it('no precondition (undefined) applies the change', async () => {
      const { update, mug } = setUp();
      expect((await update(mug.id, { name: 'New' }, undefined)).name).toBe('New');
    });
  });

  it('an unknown product is ProductNotFoundError (404)', async () => {
    const { update } = setUp();
    await expect(update('00000000-0000-7000-8000-00000000ffff', { name: 'x' })).rejects.toThrow(ProductNotFoundError);
  });

  it('moving to a SKU another product has (in any case) is SkuTakenError and rolls back', async () => {
    const { update, mug, seedProduct, products, unitOfWork } = setUp();
    seedProduct({ sku: 'TEE-1' });
    await expect(update(mug.id, { sku: 'tee-1', name: 'Renamed' })).rejects.toThrow(SkuTakenError);
    expect(products.stateOf(mug.id)).toMatchObject({ sku: 'MUG-001', name: 'Enamel mug', version: 3 });
    expect(unitOfWork.published).toEqual([]);
  });

  it('status archived archives (ProductArchived), status active restores it', async () => {
    const { update, mug, unitOfWork } = setUp();
    expect((await update(mug.id, { status: 'archived' })).status).toBe('archived');
    expect((await update(mug.id, { status: 'active' })).status).toBe('active');
    expect(unitOfWork.publishedTypes()).toEqual(['catalog.product_archived', 'catalog.product_changed']);
  });

  it('survives a deadlock: the retry reloads, writes once and records one event', async () => {
    const { update, mug, products, unitOfWork } = setUp();
    unitOfWork.simulateConflicts(1);
    const view = await update(mug.id, { name: 'Retried' }, [3]);
    expect([unitOfWork.runs, unitOfWork.rollbacks, unitOfWork.commits]).toEqual([2, 1, 1]);
    expect(view.version).toBe(4);
    expect(products.stateOf(mug.id)?.version).toBe(4);
    expect(unitOfWork.publishedTypes()).toEqual(['catalog.product_changed']);
  });
});
