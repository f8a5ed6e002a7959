import { catalogFakes } from '../../../../../../test/support/fakes/catalog-fakes.js';
import { PreconditionFailedError } from '../../../../../shared/domain/domain-error.js';
import { ProductNotFoundError } from '../../../domain/catalog.errors.js';
import { ArchiveProductCommand } from './archive-product.command.js';
import { ArchiveProductHandler } from './archive-product.handler.js';

function setUp() {
  const fakes = catalogFakes();
  const handler = new ArchiveProductHandler(fakes.products, fakes.clock);
  const mug = fakes.seedProduct({ version: 2 });
  const archive = (productId: string, expectedVersions?: readonly number[]) =>
    fakes.run(handler, new ArchiveProductCommand(productId, expectedVersions));
  return { ...fakes, archive, mug };
}

describe('ArchiveProductHandler', () => {
  it('archives: one version step and ProductArchived', async () => {
    const { archive, mug, products, unitOfWork } = setUp();
    const view = await archive(mug.id);
    expect(view).toMatchObject({ id: mug.id, status: 'archived', version: 3 });
    expect(products.stateOf(mug.id)).toMatchObject({ status: 'archived', version: 3 });
    expect(unitOfWork.publishedTypes()).toEqual(['catalog.product_archived']);
  });

  it('is idempotent: archiving again answers the archived product unchanged', async () => {
    const { archive, mug, unitOfWork } = setUp();
    await archive(mug.id);
    const again = await archive(mug.id, [3]);
    expect(again).toMatchObject({ status: 'archived', version: 3 });
    expect(unitOfWork.publishedTypes()).toEqual(['catalog.product_archived']);
  });

  it('honours If-Match: a stale version is 412 41200 and nothing changes', async () => {
    const { archive, mug, products } = setUp();
    await expect(archive(mug.id, [1])).rejects.toThrow(PreconditionFailedError);
    expect(products.stateOf(mug.id)).toMatchObject({ status: 'active', version: 2 });
    expect((await archive(mug.id, [2])).status).toBe('archived');
  });

  it('an unknown product is ProductNotFoundError', async () => {
    const { archive } = setUp();
    await expect(archive('00000000-0000-7000-8000-00000000ffff')).rejects.toThrow(ProductNotFoundError);
  });
});
