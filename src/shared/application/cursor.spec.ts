import fc from 'fast-check';
import { ValidationFailedError } from '../domain/domain-error.js';
import { decodeCursor, encodeCursor, toPage, type CursorValue } from './cursor.js';

type Kind = 'string' | 'number';

const invalidCursor = expect.objectContaining({
  code: 40000,
  violations: [expect.objectContaining({ field: 'cursor' })],
});

// Small enough that every encoding stays under decodeCursor's ceiling (MAX_CURSOR_LENGTH).
const cursorString = fc.string({ unit: 'binary', maxLength: 12 });
const cursorNumber = fc.oneof(
  fc.maxSafeInteger(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => (Object.is(value, -0) ? 0 : value)),
);
const shapeAndValues = fc
  .array(fc.constantFrom<Kind>('string', 'number'), { minLength: 1, maxLength: 4 })
  .chain((shape) =>
    fc.tuple(fc.constant(shape), fc.tuple(...shape.map((kind) => (kind === 'string' ? cursorString : cursorNumber)))),
  );
const anyShape = fc.array(fc.constantFrom<Kind>('string', 'number'), { maxLength: 4 });

function expectRejectedOrShaped(raw: string, shape: readonly Kind[]): void {
  let values: CursorValue[];
  try {
    values = decodeCursor(raw, shape);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect(error).toEqual(invalidCursor);
    return;
  }
  expect(values.map((value) => typeof value)).toEqual(shape);
}

describe('cursor', () => {
  it('decodes what it encoded, for values matching the shape', () => {
    fc.assert(
      fc.property(shapeAndValues, ([shape, values]) => {
        const encoded = encodeCursor(values);
        expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeCursor(encoded, shape)).toEqual(values);
      }),
    );
  });

  it('answers any string with a shaped value or a ValidationFailedError on "cursor", nothing else', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), anyShape, expectRejectedOrShaped));
    fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/), anyShape, expectRejectedOrShaped));
  });

  it('answers any base64url-encoded JSON with a shaped value or a ValidationFailedError on "cursor"', () => {
    fc.assert(
      fc.property(fc.jsonValue(), anyShape, (json, shape) => {
        expectRejectedOrShaped(Buffer.from(JSON.stringify(json), 'utf8').toString('base64url'), shape);
      }),
    );
  });

  it('rejects values of the wrong type or count', () => {
    const cursor = encodeCursor(['2025-01-01', 42]);
    expect(decodeCursor(cursor, ['string', 'number'])).toEqual(['2025-01-01', 42]);
    expect(() => decodeCursor(cursor, ['number', 'string'])).toThrow(invalidCursor);
    expect(() => decodeCursor(cursor, ['string'])).toThrow(invalidCursor);
    expect(() => decodeCursor(cursor, ['string', 'number', 'string'])).toThrow(invalidCursor);
  });

  it('rejects a cursor over 2048 characters, even one that would decode', () => {
    const atLimit = encodeCursor(['x'.repeat(1532)]);
    const overLimit = encodeCursor(['x'.repeat(1533)]);
    expect([atLimit.length, overLimit.length]).toEqual([2048, 2050]);
    expect(decodeCursor(atLimit, ['string'])).toEqual(['x'.repeat(1532)]);
    expect(() => decodeCursor(overLimit, ['string'])).toThrow(invalidCursor);
  });

  it('rejects empty, padded, non-base64url and non-JSON cursors', () => {
    const notJson = Buffer.from('{nope', 'utf8').toString('base64url');
    for (const raw of ['', `${encodeCursor(['x'])}=`, notJson, 'a b', 'a+b/']) {
      expect(() => decodeCursor(raw, ['string']), raw).toThrow(invalidCursor);
    }
  });
});

describe('toPage', () => {
  const rowsAndLimit = fc
    .integer({ min: 1, max: 30 })
    .chain((limit) => fc.tuple(fc.constant(limit), fc.integer({ min: 0, max: limit + 1 })));

  it('trims the extra row and derives nextCursor from the last item kept, null on the last page', () => {
    fc.assert(
      fc.property(rowsAndLimit, ([limit, fetched]) => {
        const rows = Array.from({ length: fetched }, (_, index) => ({ id: `row-${index}`, rank: index }));
        const page = toPage(
          rows,
          limit,
          (row) => [row.rank, row.id],
          (row) => row.id,
        );

        expect(page.items).toEqual(rows.slice(0, limit).map((row) => row.id));
        if (fetched > limit) {
          expect(page.nextCursor).not.toBeNull();
          expect(decodeCursor(page.nextCursor ?? '', ['number', 'string'])).toEqual([limit - 1, `row-${limit - 1}`]);
        } else {
          expect(page.nextCursor).toBeNull();
        }
      }),
    );
  });

  it('gives an empty last page for no rows', () => {
    expect(
      toPage(
        [],
        20,
        () => ['x'],
        (row) => row,
      ),
    ).toEqual({ items: [], nextCursor: null });
  });
});
