import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AfterCommit } from '../../../../platform/persistence/after-commit.js';
import { ProductArchived, ProductChanged, ProductCreated } from '../../domain/catalog.events.js';
import { ProductViewCache } from './product-view-cache.js';

/**
 * Read-your-writes (SPEC §4a): every committed product change drops the cached view — in Redis and on this
 * instance — before the write's response is sent; other instances' in-process copies follow within 1 s.
 * `ProductCreated` is included so that an id read as "not found" just before its creation is never served stale.
 */
@Injectable()
export class ProductCacheInvalidation implements OnModuleInit {
  constructor(
    private readonly afterCommit: AfterCommit,
    private readonly views: ProductViewCache,
  ) {}

  onModuleInit(): void {
    this.afterCommit.on<ProductCreated | ProductChanged | ProductArchived>(
      [ProductCreated, ProductChanged, ProductArchived],
      (event) => this.views.invalidate(event.aggregateId),
    );
  }
}
