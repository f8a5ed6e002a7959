import { Money } from '../../../../shared/domain/money.js';
import { Product } from '../../domain/product.aggregate.js';
import { ProductMapper } from './product.mapper.js';
import { ProductOrmEntity } from './product.orm-entity.js';

const at = new Date('2030-05-06T07:08:09.123Z');

function row(overrides: Partial<ProductOrmEntity> = {}): ProductOrmEntity {
  return Object.assign(new ProductOrmEntity(), {
    id: '0193a0a0-0000-7000-8000-000000000001',
    sku: 'MUG-001',
    name: 'Enamel mug',
    description: '',
    priceAmount: 1290,
    priceCurrency: 'EUR',
    status: 'active',
    version: 3,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  });
}

describe('ProductMapper', () => {
  it('row → aggregate → row is lossless', () => {
    const product = ProductMapper.toDomain(row());
    expect(product.version).toBe(3);
    expect(product.isNew).toBe(false);
    expect(ProductMapper.toRow(product)).toEqual(row());
  });

  it('a BIGINT read back as a string (large values on some drivers) becomes a number again', () => {
    const fromString = row({ priceAmount: '9007199254740991' as unknown as number });
    expect(ProductMapper.toDomain(fromString).snapshot().price).toEqual(Money.of(Number.MAX_SAFE_INTEGER, 'EUR'));
    expect(ProductMapper.toView(fromString).price).toEqual({ amount: Number.MAX_SAFE_INTEGER, currency: 'EUR' });
  });

  it('the view is JSON-safe: ISO timestamps, plain price object', () => {
    const view = ProductMapper.toView(row({ status: 'archived' }));
    expect(view).toEqual({
      id: '0193a0a0-0000-7000-8000-000000000001',
      sku: 'MUG-001',
      name: 'Enamel mug',
      description: '',
      price: { amount: 1290, currency: 'EUR' },
      status: 'archived',
      version: 3,
      createdAt: '2030-05-06T07:08:09.123Z',
      updatedAt: '2030-05-06T07:08:09.123Z',
    });
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });

  it('a status the domain does not know is an error, not a silently wrong product', () => {
    expect(() => ProductMapper.toDomain(row({ status: 'deleted' }))).toThrow(/unknown value "deleted"/);
    expect(() => ProductMapper.toView(row({ status: '' }))).toThrow(/unknown value/);
  });

  it('a new aggregate maps to version 1', () => {
    const product = Product.restore({ ...ProductMapper.toDomain(row()).snapshot(), version: 1 });
    expect(ProductMapper.toRow(product).version).toBe(1);
  });
});
