import { Module, type DynamicModule } from '@nestjs/common';
import { ErrorCatalog, type ErrorCodeDeclarations } from './error-catalog.js';

/** One instance per registering context; the catalog itself comes from the single ErrorCatalogModule. */
@Module({})
class ErrorCatalogFeatureModule {}

/** Holds the application's one ErrorCatalog (platform codes included); imported through `forFeature()` only. */
@Module({
  providers: [{ provide: ErrorCatalog, useFactory: () => new ErrorCatalog() }],
  exports: [ErrorCatalog],
})
export class ErrorCatalogModule {
  /**
   * A bounded context registers its error codes with one entry in its module's `imports`:
   * `ErrorCatalogModule.forFeature('identity', IDENTITY_ERROR_CODES)`. The codes live beside the context's errors
   * (plain data in its domain folder); the exception filter and the OpenAPI document read the assembled catalog.
   */
  static forFeature(owner: string, codes: ErrorCodeDeclarations): DynamicModule {
    return {
      module: ErrorCatalogFeatureModule,
      imports: [ErrorCatalogModule],
      providers: [
        {
          provide: `orderly:error-codes:${owner}`,
          inject: [ErrorCatalog],
          useFactory: (catalog: ErrorCatalog): ErrorCodeDeclarations => {
            catalog.register(owner, codes);
            return codes;
          },
        },
      ],
    };
  }
}
