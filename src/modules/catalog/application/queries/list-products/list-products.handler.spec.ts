import type { Page } from '../../../../../shared/application/cursor.js';
import { ForbiddenError, UnauthenticatedError } from '../../../../../shared/domain/domain-error.js';
import { ProductReadModel, type ProductListFilter } from '../../ports/product-read-model.js';
import type { ProductView } from '../../product-view.js';
import { ListProductsHandler } from './list-products.handler.js';
import { ListProductsQuery } from './list-products.query.js';

class RecordingReadModel extends ProductReadModel {
  readonly filters: ProductListFilter[] = [];

  findById(): Promise<ProductView | undefined> {
    return Promise.resolve(undefined);
  }

  list(filter: ProductListFilter): Promise<Page<ProductView>> {
    this.filters.push(filter);
    return Promise.resolve({ items: [], nextCursor: null });
  }
}

const filter = (status: 'active' | 'archived'): ProductListFilter => ({
  status,
  sort: { field: 'createdAt', descending: true },
  limit: 20,
});

describe('ListProductsHandler', () => {
  it('lists active products for everyone', async () => {
    const readModel = new RecordingReadModel();
    const handler = new ListProductsHandler(readModel);
    for (const roles of [undefined, ['customer'], ['admin']]) {
      await expect(handler.execute(new ListProductsQuery(filter('active'), roles))).resolves.toEqual({
        items: [],
        nextCursor: null,
      });
    }
    expect(readModel.filters).toHaveLength(3);
  });

  it('archived products: anonymous 401 40100, customer 403 40300, admin allowed', async () => {
    const readModel = new RecordingReadModel();
    const handler = new ListProductsHandler(readModel);
    // As the query bus calls it: inside an async function, so a synchronous throw is a rejection too.
    const archived = async (roles: readonly string[] | undefined) =>
      handler.execute(new ListProductsQuery(filter('archived'), roles));
    await expect(archived(undefined)).rejects.toThrow(UnauthenticatedError);
    await expect(archived(undefined)).rejects.toMatchObject({ code: 40100 });
    await expect(archived(['customer'])).rejects.toThrow(ForbiddenError);
    await expect(archived(['customer'])).rejects.toMatchObject({ code: 40300 });
    expect(readModel.filters).toEqual([]);
    await archived(['customer', 'admin']);
    expect(readModel.filters).toEqual([filter('archived')]);
  });
});
