import { createHash } from 'node:crypto';

/** Who asked, and where: the parts of a request that decide which stored answer a key may replay. */
export interface IdempotencyScope {
  /** The caller's user id; undefined for an anonymous caller. */
  readonly userId: string | undefined;
  readonly method: string;
  /** The route template (`/api/v1/orders/:id/pay`), not the concrete path: one key space per operation. */
  readonly route: string;
  readonly key: string;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The record's primary key. Parts are joined with a NUL, which no part can contain (user ids and templates are
 * plain text, keys are visible ASCII), so two different scopes can never produce the same input string. One user's
 * key never reaches another user's record, and the same key on another route is another record.
 */
export function scopeId(scope: IdempotencyScope): string {
  return sha256([scope.userId ?? 'anonymous', scope.method.toUpperCase(), scope.route, scope.key].join('\0'));
}

/**
 * JSON with every object's keys sorted, recursively: `{"a":1,"b":2}` and `{"b":2,"a":1}` are one request. Array
 * order is kept (it means something). `undefined` members are dropped, as JSON.stringify drops them.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}

/**
 * What "the same request" means for a replay: the concrete path (with its query: `/orders/1/pay` and
 * `/orders/2/pay` share a template but are different requests) and the parsed body, canonically.
 */
export function requestFingerprint(path: string, body: unknown): string {
  return sha256(`${path}\0${canonicalJson(body ?? null)}`);
}
