import { ValidationFailedError } from '../domain/domain-error.js';

export type CursorValue = string | number;

/** One page of a keyset-paginated list (SPEC §4): `nextCursor` is null on the last page, never absent. */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/**
 * Opaque keyset cursors: the sort key of the last item, base64url-encoded JSON. Clients must not build them;
 * anything that does not decode to the expected shape is a 400 (never silently ignored or clamped).
 */
export function encodeCursor(values: readonly CursorValue[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/**
 * The longest cursor accepted. Cursors carry a sort value: a product list sorted by name carries the last name
 * (up to 200 UTF-16 units: up to 1.2 KB of JSON once escaped, ~1.6 K characters of base64url).
 */
export const MAX_CURSOR_LENGTH = 2048;

export function decodeCursor(raw: string, shape: readonly ('string' | 'number')[]): CursorValue[] {
  const invalid = () => ValidationFailedError.forField('cursor', 'is not a valid cursor');
  if (raw.length === 0 || raw.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(raw)) throw invalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(decoded) || decoded.length !== shape.length) throw invalid();
  const values = decoded as unknown[];
  if (!values.every((value, index) => typeof value === shape[index])) throw invalid();
  return values as CursorValue[];
}

/** Fetch `limit + 1` rows, then call this: it trims the extra row and derives the next cursor from the last item. */
export function toPage<TRow, TItem>(
  rows: readonly TRow[],
  limit: number,
  cursorOf: (row: TRow) => readonly CursorValue[],
  toItem: (row: TRow) => TItem,
): Page<TItem> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return {
    items: pageRows.map(toItem),
    nextCursor: hasMore && last !== undefined ? encodeCursor(cursorOf(last)) : null,
  };
}
