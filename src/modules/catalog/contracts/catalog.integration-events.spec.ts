import {
  ProductArchived,
  ProductChanged,
  ProductCreated,
  type ProductSnapshotPayload,
} from '../domain/catalog.events.js';
import {
  CATALOG_EVENT_TYPES,
  CATALOG_EVENT_VERSIONS,
  type CatalogEventPayloads,
  type CatalogEventType,
} from './catalog.integration-events.js';

const at = new Date('2026-12-01T10:00:00Z');
const id = '0193a0a0-0000-7000-8000-000000000001';
const snapshot = (overrides: Partial<ProductSnapshotPayload> = {}): ProductSnapshotPayload => ({
  productId: id,
  sku: 'MUG-001',
  name: 'Enamel mug',
  price: { amount: 1290, currency: 'EUR' },
  status: 'active',
  version: 1,
  ...overrides,
});

/**
 * Holds the domain events to the published contract: every event catalog records has a declared type, is
 * published at the declared version, and its payload has exactly the contract's fields. The assignments are
 * checked by the compiler too (a payload missing a field does not type-check).
 */
describe('catalog integration-event contracts', () => {
  const published: { [T in CatalogEventType]: { type: T; version: number; payload: CatalogEventPayloads[T] } } = {
    'catalog.product_created': fromDomain(new ProductCreated(at, snapshot())),
    'catalog.product_changed': fromDomain(new ProductChanged(at, snapshot({ name: 'Tin mug', version: 2 }))),
    'catalog.product_archived': fromDomain(new ProductArchived(at, snapshot({ status: 'archived', version: 3 }))),
  };

  it('declares every event type catalog records, at the version it publishes', () => {
    expect(Object.keys(published).sort()).toEqual(Object.values(CATALOG_EVENT_TYPES).sort());
    for (const [type, event] of Object.entries(published)) {
      expect(event.type).toBe(type);
      expect(event.version).toBe(CATALOG_EVENT_VERSIONS[type as CatalogEventType]);
    }
  });

  it('publishes exactly the contract fields: the product’s full public state after the change', () => {
    expect(published['catalog.product_created'].payload).toEqual({
      productId: id,
      sku: 'MUG-001',
      name: 'Enamel mug',
      price: { amount: 1290, currency: 'EUR' },
      status: 'active',
      version: 1,
    });
    expect(published['catalog.product_changed'].payload).toEqual({
      productId: id,
      sku: 'MUG-001',
      name: 'Tin mug',
      price: { amount: 1290, currency: 'EUR' },
      status: 'active',
      version: 2,
    });
    expect(published['catalog.product_archived'].payload).toEqual({
      productId: id,
      sku: 'MUG-001',
      name: 'Enamel mug',
      price: { amount: 1290, currency: 'EUR' },
      status: 'archived',
      version: 3,
    });
  });

  it('names the product as the aggregate of every event', () => {
    for (const event of [new ProductCreated(at, snapshot()), new ProductArchived(at, snapshot())]) {
      expect(event.aggregateId).toBe(id);
      expect(event.occurredAt).toBe(at);
    }
  });

  it('payloads survive the JSON round trip of the outbox unchanged', () => {
    for (const event of Object.values(published)) {
      expect(JSON.parse(JSON.stringify(event.payload))).toEqual(event.payload);
    }
  });
});

function fromDomain<T extends CatalogEventType>(event: {
  type: T;
  version: number;
  payload(): CatalogEventPayloads[T];
}): { type: T; version: number; payload: CatalogEventPayloads[T] } {
  return { type: event.type, version: event.version, payload: event.payload() };
}
