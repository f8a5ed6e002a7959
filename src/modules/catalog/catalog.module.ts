import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config.js';
import { CatalogSettings } from './application/catalog-settings.js';
import { ArchiveProductHandler } from './application/commands/archive-product/archive-product.handler.js';
import { CreateProductHandler } from './application/commands/create-product/create-product.handler.js';
import { UpdateProductHandler } from './application/commands/update-product/update-product.handler.js';
import { ProductReadModel } from './application/ports/product-read-model.js';
import { GetProductHandler } from './application/queries/get-product/get-product.handler.js';
import { ListProductsHandler } from './application/queries/list-products/list-products.handler.js';
import { ProductCatalog } from './contracts/product-catalog.js';
import { ProductRepository } from './domain/product.repository.js';
import { CachingProductReadModel } from './infrastructure/caching/caching-product-read-model.js';
import { ProductCacheInvalidation } from './infrastructure/caching/product-cache-invalidation.js';
import { ProductViewCache } from './infrastructure/caching/product-view-cache.js';
import { CatalogFacade } from './infrastructure/catalog-facade.js';
import { ProductOrmEntity } from './infrastructure/persistence/product.orm-entity.js';
import { TypeOrmProductReadModel } from './infrastructure/persistence/typeorm-product.read-model.js';
import { TypeOrmProductRepository } from './infrastructure/persistence/typeorm-product.repository.js';
import { CatalogDemoData } from './infrastructure/startup/catalog-demo-data.js';
import { ProductsController } from './interface/http/products.controller.js';

/**
 * The catalog context. Global so that its facade (`ProductCatalog`, from `catalog/contracts`) can be injected by
 * other contexts without their modules importing this one — the only thing it exports.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([ProductOrmEntity])],
  controllers: [ProductsController],
  providers: [
    // application
    CreateProductHandler,
    UpdateProductHandler,
    ArchiveProductHandler,
    GetProductHandler,
    ListProductsHandler,
    {
      provide: CatalogSettings,
      inject: [AppConfig],
      useFactory: (config: AppConfig): CatalogSettings => ({ currency: config.commerce.currency }),
    },
    // ports → adapters
    { provide: ProductRepository, useClass: TypeOrmProductRepository },
    TypeOrmProductReadModel,
    ProductViewCache,
    { provide: ProductReadModel, useClass: CachingProductReadModel },
    ProductCacheInvalidation,
    // the contract other contexts use
    CatalogFacade,
    { provide: ProductCatalog, useExisting: CatalogFacade },
    CatalogDemoData,
  ],
  exports: [ProductCatalog],
})
export class CatalogModule {}
