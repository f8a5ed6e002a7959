import fc from 'fast-check';
import { isRole, normalizeRoles, ROLES } from './role.js';

const invalidRoles = expect.objectContaining({
  code: 40000,
  violations: [expect.objectContaining({ field: 'roles' })],
});

/** Non-empty lists of known roles, in any order, possibly repeated. */
const knownRoles = fc.array(fc.constantFrom(...ROLES), { minLength: 1, maxLength: 6 });
const unknownRole = fc.string().filter((value) => !isRole(value));

describe('normalizeRoles', () => {
  it('returns each given role once, in the canonical order of ROLES', () => {
    fc.assert(
      fc.property(knownRoles, (roles) => {
        expect(normalizeRoles(roles)).toEqual(ROLES.filter((role) => roles.includes(role)));
      }),
    );
    expect(normalizeRoles(['admin', 'customer', 'admin'])).toEqual(['customer', 'admin']);
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(knownRoles, (roles) => {
        expect(normalizeRoles(normalizeRoles(roles))).toEqual(normalizeRoles(roles));
      }),
    );
  });

  it('rejects any list containing an unknown role, naming it', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ROLES)), unknownRole, fc.nat(), (roles, unknown, at) => {
        const withUnknown: string[] = [...roles];
        withUnknown.splice(at % (roles.length + 1), 0, unknown);
        expect(() => normalizeRoles(withUnknown)).toThrow(invalidRoles);
      }),
    );
    expect(() => normalizeRoles(['Admin'])).toThrow(/Admin/);
  });

  it('rejects an empty list', () => {
    expect(() => normalizeRoles([])).toThrow(invalidRoles);
  });
});
