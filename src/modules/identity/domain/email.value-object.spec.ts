import fc from 'fast-check';
import { ValidationFailedError } from '../../../shared/domain/domain-error.js';
import { Email } from './email.value-object.js';

const invalidEmail = (field = 'email') =>
  expect.objectContaining({ code: 40000, violations: [expect.objectContaining({ field })] });

const blanks = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\u00a0'), maxLength: 3 });
const validAddress = fc.emailAddress().filter((address) => address.length <= 254);
/** Strings that look like addresses often enough to exercise both outcomes. */
const addressLike = fc.oneof(
  validAddress,
  fc.string({ unit: 'binary' }),
  fc
    .tuple(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }))
    .map(([local, host, tld]) => `${local}@${host}.${tld}`),
);

describe('Email', () => {
  it('trims surrounding blanks and lower-cases the address', () => {
    fc.assert(
      fc.property(validAddress, fc.boolean(), blanks, blanks, (address, shout, before, after) => {
        const raw = `${before}${shout ? address.toUpperCase() : address}${after}`;
        expect(Email.create(raw).value).toBe(raw.trim().toLowerCase());
      }),
    );
  });

  it('is idempotent: creating from an accepted value gives an equal email', () => {
    fc.assert(
      fc.property(addressLike, (raw) => {
        let email: Email;
        try {
          email = Email.create(raw);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationFailedError);
          return;
        }
        const again = Email.create(email.value);
        expect(again.value).toBe(email.value);
        expect(again.equals(email)).toBe(true);
      }),
    );
  });

  it('never throws anything but a ValidationFailedError on the given field', () => {
    fc.assert(
      fc.property(addressLike, (raw) => {
        try {
          Email.create(raw, 'ADMIN_EMAIL');
        } catch (error) {
          expect(error).toEqual(invalidEmail('ADMIN_EMAIL'));
        }
      }),
    );
  });

  it('rejects a string without an @', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (raw) => {
        fc.pre(!raw.includes('@'));
        expect(() => Email.create(raw)).toThrow(invalidEmail());
      }),
    );
  });

  it('rejects more than one @', () => {
    fc.assert(
      fc.property(validAddress, fc.string({ unit: 'binary' }), (address, extra) => {
        expect(() => Email.create(`${extra}@${address}`)).toThrow(invalidEmail());
      }),
    );
  });

  it('rejects a domain without a dot, or with an empty label', () => {
    for (const raw of ['ada@localhost', 'ada@.com', 'ada@example.', 'ada@example..com', '@example.com', 'ada@']) {
      expect(() => Email.create(raw), raw).toThrow(invalidEmail());
    }
  });

  it('rejects blanks inside the address and blank input', () => {
    for (const raw of ['ada lovelace@example.com', 'ada@exa mple.com', '', '   ']) {
      expect(() => Email.create(raw), JSON.stringify(raw)).toThrow(invalidEmail());
    }
  });

  it('accepts 254 characters and rejects anything longer', () => {
    const domain = '@example.com';
    fc.assert(
      fc.property(fc.integer({ min: 13, max: 400 }), (total) => {
        const raw = `${'a'.repeat(total - domain.length)}${domain}`;
        if (total <= 254) expect(Email.create(raw).value).toHaveLength(total);
        else expect(() => Email.create(raw)).toThrow(invalidEmail());
      }),
    );
    expect(Email.create(`${'a'.repeat(242)}${domain}`).value).toHaveLength(254);
    expect(() => Email.create(`${'a'.repeat(243)}${domain}`)).toThrow(invalidEmail());
  });

  it('compares by value, case-insensitively', () => {
    expect(Email.create('Ada@Example.COM').equals(Email.create('ada@example.com'))).toBe(true);
    expect(Email.create('ada@example.com').equals(Email.create('bob@example.com'))).toBe(false);
  });
});
