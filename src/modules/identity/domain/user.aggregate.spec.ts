import { DisplayName } from './display-name.value-object.js';
import { Email } from './email.value-object.js';
import { DeletedAccountError, SelfLockoutError } from './identity.errors.js';
import { UserRegistered, UserRolesChanged, UserStatusChanged } from './identity.events.js';
import { User, type UserState } from './user.aggregate.js';

const t0 = new Date('2025-01-01T00:00:00.000Z');
const t1 = new Date('2025-01-02T00:00:00.000Z');
const t2 = new Date('2025-01-03T00:00:00.000Z');

function registered(): User {
  return User.register({
    id: 'user-1',
    email: Email.create('Ada@Example.com'),
    passwordHash: 'hash-1',
    displayName: DisplayName.create('Ada'),
    roles: ['customer'],
    now: t0,
  });
}

function stored(overrides: Partial<UserState> = {}): User {
  return User.restore({
    id: 'user-1',
    email: 'ada@example.com',
    passwordHash: 'hash-1',
    displayName: 'Ada',
    roles: ['customer'],
    status: 'active',
    version: 7,
    createdAt: t0,
    updatedAt: t0,
    ...overrides,
  });
}

const types = (user: User) => [...user.pendingEvents].map((event) => event.type);

describe('User', () => {
  describe('registration', () => {
    it('starts at version 1, new and unsaved, active', () => {
      const user = registered();
      expect(user.version).toBe(1);
      expect(user.isNew).toBe(true);
      expect(user.expectedStoredVersion).toBe(0);
      expect(user.hasUnsavedChanges).toBe(true);
      expect(user.isActive).toBe(true);
      expect(user.snapshot()).toMatchObject({
        email: 'ada@example.com',
        status: 'active',
        createdAt: t0,
        updatedAt: t0,
      });
    });

    it('records UserRegistered with the normalized email, name and roles', () => {
      const [event, ...rest] = [...registered().pendingEvents];
      expect(rest).toEqual([]);
      expect(event).toBeInstanceOf(UserRegistered);
      expect(event).toMatchObject({
        type: 'identity.user_registered',
        aggregateId: 'user-1',
        occurredAt: t0,
        email: 'ada@example.com',
        displayName: 'Ada',
        roles: ['customer'],
      });
    });

    it('stays at version 1 however often it changes before its first save', () => {
      const user = registered();
      user.changeDisplayName(DisplayName.create('Ada L.'), t1);
      user.assignRoles(['customer', 'admin'], t1);
      expect(user.version).toBe(1);
    });
  });

  describe('versioning', () => {
    it('a restored user holds its stored version and has nothing to save', () => {
      const user = stored({ version: 7 });
      expect(user.version).toBe(7);
      expect(user.isNew).toBe(false);
      expect(user.hasUnsavedChanges).toBe(false);
      expect([...user.pendingEvents]).toEqual([]);
    });

    it('grows by exactly one per save, however many changes the save carries', () => {
      const user = stored({ version: 7 });
      user.changeDisplayName(DisplayName.create('Ada L.'), t1);
      user.setStatus('suspended', t1);
      expect(user.version).toBe(8);
      expect(user.expectedStoredVersion).toBe(7);
      expect(user.hasUnsavedChanges).toBe(true);

      user.markSaved();
      expect(user.hasUnsavedChanges).toBe(false);
      expect(user.expectedStoredVersion).toBe(8);

      user.changePassword('hash-2', t2);
      user.assignRoles(['customer', 'admin'], t2);
      expect(user.version).toBe(9);
      expect(user.expectedStoredVersion).toBe(8);
    });

    it('records a change with its time in updatedAt, leaving createdAt alone', () => {
      const user = stored();
      user.changeDisplayName(DisplayName.create('Ada L.'), t1);
      expect(user.snapshot()).toMatchObject({ displayName: 'Ada L.', createdAt: t0, updatedAt: t1, version: 8 });
    });
  });

  describe('changes that change nothing', () => {
    it('the same display name records no event and keeps the version', () => {
      const user = stored();
      user.changeDisplayName(DisplayName.create('  Ada '), t1);
      expect(user.version).toBe(7);
      expect(user.hasUnsavedChanges).toBe(false);
      expect([...user.pendingEvents]).toEqual([]);
      expect(user.snapshot().updatedAt).toBe(t0);
    });

    it('the same roles in another order record no event and keep the version', () => {
      const user = stored({ roles: ['customer', 'admin'] });
      user.assignRoles(['admin', 'customer'], t1);
      expect(user.version).toBe(7);
      expect([...user.pendingEvents]).toEqual([]);
    });

    it('the same status records no event and keeps the version', () => {
      const user = stored({ status: 'suspended' });
      user.setStatus('suspended', t1);
      expect(user.version).toBe(7);
      expect([...user.pendingEvents]).toEqual([]);
    });
  });

  describe('events', () => {
    it('suspension and deactivation record UserStatusChanged with the new status', () => {
      const user = stored();
      user.setStatus('suspended', t1);
      user.deactivate(t2);
      const events = [...user.pendingEvents];
      expect(events.every((event) => event instanceof UserStatusChanged)).toBe(true);
      expect(events).toMatchObject([
        { type: 'identity.user_status_changed', status: 'suspended', occurredAt: t1 },
        { type: 'identity.user_status_changed', status: 'deleted', occurredAt: t2 },
      ]);
      expect(user.isActive).toBe(false);
    });

    it('role, profile, password and login changes each record their event', () => {
      const user = stored();
      user.assignRoles(['customer', 'admin'], t1);
      user.changeDisplayName(DisplayName.create('Ada L.'), t1);
      user.changePassword('hash-2', t1);
      user.recordLogin(t1);
      const events = [...user.pendingEvents];
      expect(events.map((event) => event.type)).toEqual([
        'identity.user_roles_changed',
        'identity.user_profile_changed',
        'identity.user_password_changed',
        'identity.user_logged_in',
      ]);
      expect(events[0]).toBeInstanceOf(UserRolesChanged);
      expect(events[0]).toMatchObject({ roles: ['customer', 'admin'] });
    });

    it('a login is an event, not a change: the version stays', () => {
      const user = stored();
      user.recordLogin(t1);
      expect(user.version).toBe(7);
      expect(user.hasUnsavedChanges).toBe(false);
      expect(types(user)).toEqual(['identity.user_logged_in']);
    });

    it('keeps its events pending until a commit marks it saved, then holds none', () => {
      const user = registered();
      expect(user.pendingEvents).toHaveLength(1);
      expect(user.pendingEvents).toHaveLength(1);
      user.markSaved();
      expect(user.pendingEvents).toEqual([]);
    });
  });

  describe('deletion', () => {
    it('a deleted user cannot be reactivated or suspended (42211)', () => {
      for (const status of ['active', 'suspended'] as const) {
        const user = stored({ status: 'deleted' });
        expect(() => user.setStatus(status, t1)).toThrow(DeletedAccountError);
        expect(user.version).toBe(7);
        expect([...user.pendingEvents]).toEqual([]);
      }
      expect(new DeletedAccountError().code).toBe(42211);
    });

    it('deactivating a deleted user again is a no-op', () => {
      const user = stored({ status: 'deleted' });
      user.deactivate(t1);
      expect(user.version).toBe(7);
      expect([...user.pendingEvents]).toEqual([]);
    });

    it('a suspended user can be reactivated', () => {
      const user = stored({ status: 'suspended' });
      user.setStatus('active', t1);
      expect(user.isActive).toBe(true);
      expect(types(user)).toEqual(['identity.user_status_changed']);
    });
  });

  describe('administration by an admin', () => {
    const admin = () => stored({ id: 'admin-1', roles: ['customer', 'admin'] });

    it('applies name, roles and status as one change, and says that a suspension ends the sessions', () => {
      const user = stored();
      const outcome = user.administer(
        'admin-1',
        { displayName: DisplayName.create('Ada L.'), roles: ['customer', 'admin'], status: 'suspended' },
        t1,
      );
      expect(outcome).toEqual({ endsSessions: true });
      expect(user.snapshot()).toMatchObject({
        displayName: 'Ada L.',
        roles: ['customer', 'admin'],
        status: 'suspended',
        version: 8,
      });
      expect(types(user)).toEqual([
        'identity.user_profile_changed',
        'identity.user_roles_changed',
        'identity.user_status_changed',
      ]);
    });

    it('ends no sessions for a reactivation, a rename or a role change', () => {
      expect(stored({ status: 'suspended' }).administer('admin-1', { status: 'active' }, t1)).toEqual({
        endsSessions: false,
      });
      expect(stored().administer('admin-1', { displayName: DisplayName.create('Ada L.') }, t1)).toEqual({
        endsSessions: false,
      });
      expect(stored().administer('admin-1', { roles: ['admin'] }, t1)).toEqual({ endsSessions: false });
    });

    it('ends the sessions again when a suspended user is suspended again, without a new version', () => {
      const user = stored({ status: 'suspended' });
      expect(user.administer('admin-1', { status: 'suspended' }, t1)).toEqual({ endsSessions: true });
      expect(user.version).toBe(7);
      expect(types(user)).toEqual([]);
    });

    it.each([
      [{ roles: ['customer'] as const }, 'remove the admin role from'],
      [{ status: 'suspended' as const }, 'suspend'],
    ])('refuses an admin locking themselves out (%j) and changes nothing at all', (change, action) => {
      const user = admin();
      const attempt = () => user.administer('admin-1', { displayName: DisplayName.create('Root'), ...change }, t1);
      expect(attempt).toThrow(SelfLockoutError);
      expect(attempt).toThrow(`Admins cannot ${action} their own account`);
      expect(user.snapshot()).toMatchObject({ displayName: 'Ada', roles: ['customer', 'admin'], status: 'active' });
      expect(user.version).toBe(7);
      expect(types(user)).toEqual([]);
    });

    it('lets an admin rename themselves, keep admin and stay active', () => {
      const user = admin();
      const outcome = user.administer(
        'admin-1',
        { displayName: DisplayName.create('Root'), roles: ['admin'], status: 'active' },
        t1,
      );
      expect(outcome).toEqual({ endsSessions: false });
      expect(user.snapshot()).toMatchObject({ displayName: 'Root', roles: ['admin'], status: 'active', version: 8 });
    });

    it('refuses any change to a deleted account (42211)', () => {
      const user = stored({ status: 'deleted' });
      expect(() => user.administer('admin-1', { status: 'active' }, t1)).toThrow(DeletedAccountError);
      expect(() => user.administer('admin-1', { displayName: DisplayName.create('Eve') }, t1)).toThrow(
        DeletedAccountError,
      );
    });

    it('deletes another account and ends its sessions, also when it is deleted already', () => {
      const user = stored();
      expect(user.deactivateBy('admin-1', t1)).toEqual({ endsSessions: true });
      expect(user.snapshot()).toMatchObject({ status: 'deleted', version: 8 });
      expect(user.deactivateBy('admin-1', t2)).toEqual({ endsSessions: true });
      expect(types(user)).toEqual(['identity.user_status_changed']);
    });

    it('refuses an admin deleting their own account (42210)', () => {
      const user = admin();
      expect(() => user.deactivateBy('admin-1', t1)).toThrow(new SelfLockoutError('delete'));
      expect(user.isActive).toBe(true);
      expect(types(user)).toEqual([]);
    });
  });
});
