import { DomainEvent } from '../../../shared/domain/domain-event.js';
import type { ProductStatus } from './product-status.js';

// Each payload is the published shape declared in ../contracts/catalog.integration-events.ts (a unit test holds
// the two together). Payloads carry the product's full public state, so a subscriber (a search index, a cache of
// another service) never has to call back for it.

export type ProductSnapshotPayload = {
  readonly productId: string;
  readonly sku: string;
  readonly name: string;
  readonly price: { readonly amount: number; readonly currency: string };
  readonly status: ProductStatus;
  readonly version: number;
};

abstract class ProductEvent extends DomainEvent {
  protected constructor(
    occurredAt: Date,
    readonly snapshot: ProductSnapshotPayload,
  ) {
    super(snapshot.productId, occurredAt);
  }

  payload(): ProductSnapshotPayload {
    return { ...this.snapshot, price: { ...this.snapshot.price } };
  }
}

export class ProductCreated extends ProductEvent {
  readonly type = 'catalog.product_created';

  constructor(occurredAt: Date, snapshot: ProductSnapshotPayload) {
    super(occurredAt, snapshot);
  }
}

/** Name, description, SKU, price or status changed (archiving has its own event). */
export class ProductChanged extends ProductEvent {
  readonly type = 'catalog.product_changed';

  constructor(occurredAt: Date, snapshot: ProductSnapshotPayload) {
    super(occurredAt, snapshot);
  }
}

export class ProductArchived extends ProductEvent {
  readonly type = 'catalog.product_archived';

  constructor(occurredAt: Date, snapshot: ProductSnapshotPayload) {
    super(occurredAt, snapshot);
  }
}
