import { canonicalJson, requestFingerprint, scopeId, type IdempotencyScope } from './request-fingerprint.js';

describe('canonicalJson', () => {
  it('sorts object keys recursively and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it('drops undefined members like JSON does, and writes scalars and nothing as JSON', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson('x')).toBe('"x"');
    expect(canonicalJson(undefined)).toBe('null');
  });
});

describe('requestFingerprint', () => {
  it('does not depend on the order of keys in the body', () => {
    const one = requestFingerprint('/api/v1/orders', { lines: [{ productId: 'p', quantity: 2 }], couponCode: 'X' });
    const other = requestFingerprint('/api/v1/orders', { couponCode: 'X', lines: [{ quantity: 2, productId: 'p' }] });
    expect(one).toBe(other);
    expect(one).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs for another body or another concrete path', () => {
    const base = requestFingerprint('/api/v1/orders/1/pay', { amount: 1 });
    expect(requestFingerprint('/api/v1/orders/1/pay', { amount: 2 })).not.toBe(base);
    expect(requestFingerprint('/api/v1/orders/2/pay', { amount: 1 })).not.toBe(base);
    expect(requestFingerprint('/api/v1/orders', undefined)).toBe(requestFingerprint('/api/v1/orders', null));
  });
});

describe('scopeId', () => {
  const scope: IdempotencyScope = { userId: 'user-1', method: 'POST', route: '/api/v1/orders', key: 'k-1' };

  it('is stable for the same user, method, route template and key', () => {
    expect(scopeId({ ...scope })).toBe(scopeId(scope));
    expect(scopeId({ ...scope, method: 'post' })).toBe(scopeId(scope));
    expect(scopeId(scope)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('separates users, anonymous callers, methods, routes and keys', () => {
    const ids = [
      scopeId(scope),
      scopeId({ ...scope, userId: 'user-2' }),
      scopeId({ ...scope, userId: undefined }),
      scopeId({ ...scope, method: 'PUT' }),
      scopeId({ ...scope, route: '/api/v1/wallet/deposits' }),
      scopeId({ ...scope, key: 'k-2' }),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('cannot be confused by moving characters between parts', () => {
    expect(scopeId({ ...scope, userId: 'ab', key: 'c' })).not.toBe(scopeId({ ...scope, userId: 'a', key: 'bc' }));
  });
});
