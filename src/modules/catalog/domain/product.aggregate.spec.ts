import { PreconditionFailedError } from '../../../shared/domain/domain-error.js';
import { Money } from '../../../shared/domain/money.js';
import { ProductArchived, ProductChanged, ProductCreated } from './catalog.events.js';
import { Product, type ProductState } from './product.aggregate.js';
import { Sku } from './sku.value-object.js';

const t0 = new Date('2025-01-01T00:00:00.000Z');
const t1 = new Date('2025-01-02T00:00:00.000Z');
const id = '0193a0a0-0000-7000-8000-000000000001';
const eur = (amount: number) => Money.of(amount, 'EUR');

function created(): Product {
  return Product.create({
    id,
    sku: Sku.create('mug-001'),
    name: 'Enamel mug',
    description: 'A sturdy mug',
    price: eur(1290),
    now: t0,
  });
}

function stored(overrides: Partial<ProductState> = {}): Product {
  return Product.restore({
    id,
    sku: 'MUG-001',
    name: 'Enamel mug',
    description: 'A sturdy mug',
    price: eur(1290),
    status: 'active',
    version: 4,
    createdAt: t0,
    updatedAt: t0,
    ...overrides,
  });
}

const events = (product: Product) => [...product.pendingEvents];

describe('Product', () => {
  describe('create', () => {
    it('starts active at version 1, new and unsaved, with the given time as created and updated', () => {
      const product = created();
      expect(product.version).toBe(1);
      expect(product.isNew).toBe(true);
      expect(product.hasUnsavedChanges).toBe(true);
      expect(product.isArchived).toBe(false);
      expect(product.snapshot()).toEqual({
        id,
        sku: 'MUG-001',
        name: 'Enamel mug',
        description: 'A sturdy mug',
        price: eur(1290),
        status: 'active',
        version: 1,
        createdAt: t0,
        updatedAt: t0,
      });
    });

    it('records ProductCreated with the full public state', () => {
      const [event, ...rest] = events(created());
      expect(rest).toEqual([]);
      expect(event).toBeInstanceOf(ProductCreated);
      expect(event).toMatchObject({ type: 'catalog.product_created', aggregateId: id, occurredAt: t0, version: 1 });
      expect(event?.payload()).toEqual({
        productId: id,
        sku: 'MUG-001',
        name: 'Enamel mug',
        price: { amount: 1290, currency: 'EUR' },
        status: 'active',
        version: 1,
      });
    });
  });

  describe('revise', () => {
    it('changes every given field in one version step and one event', () => {
      const product = stored();
      product.revise(
        { sku: Sku.create('mug-002'), name: 'Tin mug', description: 'Lighter', price: eur(990), status: 'active' },
        t1,
      );
      expect(product.version).toBe(5);
      expect(product.snapshot()).toMatchObject({
        sku: 'MUG-002',
        name: 'Tin mug',
        description: 'Lighter',
        price: eur(990),
        updatedAt: t1,
        createdAt: t0,
      });
      const all = events(product);
      expect(all).toHaveLength(1);
      expect(all[0]).toBeInstanceOf(ProductChanged);
      expect(all[0]?.payload()).toMatchObject({ sku: 'MUG-002', name: 'Tin mug', version: 5 });
    });

    it('a second revise before the save stays within the same version step, recording one event each', () => {
      const product = stored();
      product.revise({ name: 'A' }, t1);
      product.revise({ price: eur(1) }, t1);
      expect(product.version).toBe(5);
      expect(events(product).map((event) => event.payload().version)).toEqual([5, 5]);
    });

    it('changes nothing (no version, no event, no timestamp) when every value is the current one', () => {
      const product = stored();
      product.revise(
        { sku: Sku.create('mug-001'), name: 'Enamel mug', description: 'A sturdy mug', price: eur(1290) },
        t1,
      );
      product.revise({}, t1);
      expect(product.version).toBe(4);
      expect(product.hasUnsavedChanges).toBe(false);
      expect(events(product)).toEqual([]);
      expect(product.snapshot().updatedAt).toEqual(t0);
    });

    it('setting status archived records ProductArchived; active again records ProductChanged', () => {
      const product = stored();
      product.revise({ status: 'archived' }, t1);
      expect(events(product).map((event) => event.constructor)).toEqual([ProductArchived]);
      product.markSaved();
      product.revise({ status: 'active' }, t1);
      expect(events(product).map((event) => event.constructor)).toEqual([ProductChanged]);
      expect(product.version).toBe(6);
      expect(product.isArchived).toBe(false);
    });
  });

  describe('archive', () => {
    it('archives: one version step, ProductArchived with the archived state', () => {
      const product = stored();
      product.archive(t1);
      expect(product.isArchived).toBe(true);
      expect(product.version).toBe(5);
      const [event, ...rest] = events(product);
      expect(rest).toEqual([]);
      expect(event).toBeInstanceOf(ProductArchived);
      expect(event).toMatchObject({ type: 'catalog.product_archived', occurredAt: t1 });
      expect(event?.payload()).toMatchObject({ status: 'archived', version: 5 });
    });

    it('archiving an archived product changes nothing', () => {
      const product = stored({ status: 'archived' });
      product.archive(t1);
      expect(product.version).toBe(4);
      expect(events(product)).toEqual([]);
    });
  });

  describe('assertVersionMatches (If-Match)', () => {
    it('passes without a precondition (undefined) and when the current version is listed', () => {
      const product = stored();
      expect(() => product.assertVersionMatches(undefined)).not.toThrow();
      expect(() => product.assertVersionMatches([4])).not.toThrow();
      expect(() => product.assertVersionMatches([2, 4])).not.toThrow();
    });

    it('fails with 41200 for an empty list (weak or malformed tags) and for a stale version', () => {
      const product = stored();
      for (const expected of [[], [3], [5], [1, 2]]) {
        expect(() => product.assertVersionMatches(expected)).toThrow(PreconditionFailedError);
        expect(() => product.assertVersionMatches(expected)).toThrow(expect.objectContaining({ code: 41200 }));
      }
    });
  });

  it('payloads are copies: changing one never changes the product or another event', () => {
    const product = created();
    const payload = events(product)[0]?.payload() as { price: { amount: number } };
    payload.price.amount = 1;
    expect(events(product)[0]?.payload()).toMatchObject({ price: { amount: 1290 } });
    expect(product.snapshot().price.amount).toBe(1290);
  });
});
