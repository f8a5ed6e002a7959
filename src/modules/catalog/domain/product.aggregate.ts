import { AggregateRoot } from '../../../shared/domain/aggregate-root.js';
import { PreconditionFailedError } from '../../../shared/domain/domain-error.js';
import type { Money } from '../../../shared/domain/money.js';
import { ProductArchived, ProductChanged, ProductCreated, type ProductSnapshotPayload } from './catalog.events.js';
import type { ProductStatus } from './product-status.js';
import type { Sku } from './sku.value-object.js';

export interface ProductState {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly price: Money;
  readonly status: ProductStatus;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What an admin changes through PATCH /products/:id; absent fields stay as they are. Values are already checked. */
export interface ProductRevision {
  readonly sku?: Sku;
  readonly name?: string;
  readonly description?: string;
  readonly price?: Money;
  readonly status?: ProductStatus;
}

/**
 * Something the shop sells. Stock is not here: it changes with every order and belongs to inventory, so a price
 * edit and a checkout never contend for one row.
 */
export class Product extends AggregateRoot {
  private constructor(
    id: string,
    private sku: string,
    private name: string,
    private description: string,
    private price: Money,
    private status: ProductStatus,
    private readonly createdAt: Date,
    private updatedAt: Date,
    storedVersion?: number,
  ) {
    super(id, storedVersion);
  }

  static create(params: { id: string; sku: Sku; name: string; description: string; price: Money; now: Date }): Product {
    const product = new Product(
      params.id,
      params.sku.value,
      params.name,
      params.description,
      params.price,
      'active',
      params.now,
      params.now,
    );
    product.record(new ProductCreated(params.now, product.eventSnapshot()));
    return product;
  }

  static restore(state: ProductState): Product {
    return new Product(
      state.id,
      state.sku,
      state.name,
      state.description,
      state.price,
      state.status,
      state.createdAt,
      state.updatedAt,
      state.version,
    );
  }

  /**
   * `If-Match` (SPEC §4a): the change applies only to the version the client read. `undefined` means the client
   * sent no precondition; an empty list means it sent tags that can never match (a weak or malformed tag).
   */
  assertVersionMatches(expected: readonly number[] | undefined): void {
    if (expected !== undefined && !expected.includes(this.version)) throw new PreconditionFailedError(this.version);
  }

  /** Applies every given field at once: one version step and one event, however many fields changed. */
  revise(revision: ProductRevision, now: Date): void {
    const sku = revision.sku?.value ?? this.sku;
    const name = revision.name ?? this.name;
    const description = revision.description ?? this.description;
    const price = revision.price ?? this.price;
    const status = revision.status ?? this.status;
    const changed =
      sku !== this.sku ||
      name !== this.name ||
      description !== this.description ||
      !price.equals(this.price) ||
      status !== this.status;
    if (!changed) return;
    const archiving = status === 'archived' && this.status !== 'archived';
    this.sku = sku;
    this.name = name;
    this.description = description;
    this.price = price;
    this.status = status;
    this.updatedAt = now;
    this.touch();
    const snapshot = this.eventSnapshot();
    this.record(archiving ? new ProductArchived(now, snapshot) : new ProductChanged(now, snapshot));
  }

  /** DELETE /products/:id: archived products leave the public list but stay readable (old orders link to them). */
  archive(now: Date): void {
    this.revise({ status: 'archived' }, now);
  }

  get isArchived(): boolean {
    return this.status === 'archived';
  }

  snapshot(): ProductState {
    return {
      id: this.id,
      sku: this.sku,
      name: this.name,
      description: this.description,
      price: this.price,
      status: this.status,
      version: this.version,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
    };
  }

  private eventSnapshot(): ProductSnapshotPayload {
    return {
      productId: this.id,
      sku: this.sku,
      name: this.name,
      price: this.price.toJSON(),
      status: this.status,
      version: this.version,
    };
  }
}
