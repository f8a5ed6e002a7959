import {
  UserLoggedIn,
  UserPasswordChanged,
  UserProfileChanged,
  UserRegistered,
  UserRolesChanged,
  UserStatusChanged,
} from '../domain/identity.events.js';
import {
  IDENTITY_EVENT_TYPES,
  IDENTITY_EVENT_VERSIONS,
  type IdentityEventPayloads,
  type IdentityEventType,
} from './identity.integration-events.js';

const at = new Date('2026-12-01T10:00:00Z');
const id = '0193a0a0-0000-7000-8000-000000000001';

/**
 * Holds the domain events to the published contract: every event identity records has a declared type, is
 * published at the declared version, and its payload has exactly the contract's fields. The assignments are
 * checked by the compiler too (a payload missing a field does not type-check).
 */
describe('identity integration-event contracts', () => {
  const published: { [T in IdentityEventType]: { type: T; version: number; payload: IdentityEventPayloads[T] } } = {
    'identity.user_registered': fromDomain(new UserRegistered(id, at, 'ada@example.com', 'Ada', ['customer'])),
    'identity.user_logged_in': fromDomain(new UserLoggedIn(id, at)),
    'identity.user_profile_changed': fromDomain(new UserProfileChanged(id, at, 'Ada L.')),
    'identity.user_password_changed': fromDomain(new UserPasswordChanged(id, at)),
    'identity.user_roles_changed': fromDomain(new UserRolesChanged(id, at, ['customer', 'admin'])),
    'identity.user_status_changed': fromDomain(new UserStatusChanged(id, at, 'suspended')),
  };

  it('declares every event type identity records, at the version it publishes', () => {
    expect(Object.keys(published).sort()).toEqual(Object.values(IDENTITY_EVENT_TYPES).sort());
    for (const [type, event] of Object.entries(published)) {
      expect(event.type).toBe(type);
      expect(event.version).toBe(IDENTITY_EVENT_VERSIONS[type as IdentityEventType]);
    }
  });

  it('publishes exactly the contract fields, naming the user in every payload', () => {
    expect(published['identity.user_registered'].payload).toEqual({
      userId: id,
      email: 'ada@example.com',
      displayName: 'Ada',
      roles: ['customer'],
    });
    expect(published['identity.user_logged_in'].payload).toEqual({ userId: id });
    expect(published['identity.user_profile_changed'].payload).toEqual({ userId: id, displayName: 'Ada L.' });
    expect(published['identity.user_password_changed'].payload).toEqual({ userId: id });
    expect(published['identity.user_roles_changed'].payload).toEqual({ userId: id, roles: ['customer', 'admin'] });
    expect(published['identity.user_status_changed'].payload).toEqual({ userId: id, status: 'suspended' });
  });

  it('payloads survive the JSON round trip of the outbox unchanged', () => {
    for (const event of Object.values(published)) {
      expect(JSON.parse(JSON.stringify(event.payload))).toEqual(event.payload);
    }
  });
});

function fromDomain<T extends IdentityEventType>(event: {
  type: T;
  version: number;
  payload(): IdentityEventPayloads[T];
}): { type: T; version: number; payload: IdentityEventPayloads[T] } {
  return { type: event.type, version: event.version, payload: event.payload() };
}
