import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ProductNotFoundError } from '../../../domain/catalog.errors.js';
import { ProductReadModel } from '../../ports/product-read-model.js';
import type { ProductView } from '../../product-view.js';
import { GetProductQuery } from './get-product.query.js';

/** Archived products stay readable by id (orders and bookmarks link to them); only the list hides them. */
@QueryHandler(GetProductQuery)
export class GetProductHandler implements IQueryHandler<GetProductQuery> {
  constructor(private readonly readModel: ProductReadModel) {}

  async execute(query: GetProductQuery): Promise<ProductView> {
    const product = await this.readModel.findById(query.productId);
    if (product === undefined) throw new ProductNotFoundError();
    return product;
  }
}
