import fc from 'fast-check';
import { DisplayName } from './display-name.value-object.js';

const invalidName = (field = 'displayName') =>
  expect.objectContaining({ code: 40000, violations: [expect.objectContaining({ field })] });

const blanks = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\u3000'), maxLength: 4 });
/** Any code points (astral ones included) that do not start or end with a blank. */
const core = (minLength: number, maxLength: number) =>
  fc.string({ unit: 'binary', minLength, maxLength }).filter((value) => value.trim() === value);

describe('DisplayName', () => {
  it('accepts 1–100 code points and keeps them without surrounding blanks', () => {
    fc.assert(
      fc.property(core(1, 100), blanks, blanks, (name, before, after) => {
        expect(DisplayName.create(`${before}${name}${after}`).value).toBe(name);
      }),
    );
  });

  it('rejects more than 100 code points, however they are padded', () => {
    fc.assert(
      fc.property(core(101, 300), blanks, (name, padding) => {
        expect(() => DisplayName.create(`${padding}${name}${padding}`)).toThrow(invalidName());
      }),
    );
  });

  it('rejects an empty or blank name', () => {
    fc.assert(
      fc.property(blanks, (raw) => {
        expect(() => DisplayName.create(raw, 'profile.displayName')).toThrow(invalidName('profile.displayName'));
      }),
    );
  });

  it('counts an emoji as one character, not as two UTF-16 units', () => {
    expect(DisplayName.create('😀'.repeat(100)).value).toHaveLength(200);
    expect(() => DisplayName.create('😀'.repeat(101))).toThrow(invalidName());
    expect(DisplayName.create('a'.repeat(100)).value).toHaveLength(100);
    expect(() => DisplayName.create('a'.repeat(101))).toThrow(invalidName());
  });
});
