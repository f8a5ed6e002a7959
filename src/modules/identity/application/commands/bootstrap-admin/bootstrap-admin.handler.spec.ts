import { identityFakes } from '../../../../../../test/support/fakes/identity-fakes.js';
import { FakePasswordHasher } from '../../../../../../test/support/fakes/fake-password-hasher.js';
import { DuplicateError } from '../../../../../shared/domain/domain-error.js';
import { BootstrapAdminCommand } from './bootstrap-admin.command.js';
import { BootstrapAdminHandler } from './bootstrap-admin.handler.js';

const EMAIL = 'root@example.com';
const PASSWORD = 'configured admin password';

function setUp() {
  const fakes = identityFakes();
  const handler = new BootstrapAdminHandler(fakes.users, fakes.factory, fakes.hasher, fakes.clock);
  const bootstrap = async (email = EMAIL, password = PASSWORD) =>
    fakes.run(handler, new BootstrapAdminCommand(email, password));
  const only = () => {
    const rows = [...fakes.users.rows.values()];
    expect(rows).toHaveLength(1);
    return rows[0];
  };
  return { ...fakes, bootstrap, only };
}

describe('BootstrapAdminHandler', () => {
  it('creates an active admin (customer + admin) with the configured password when none exists', async () => {
    const { bootstrap, only, unitOfWork } = setUp();
    expect(await bootstrap(' Root@Example.com ')).toBe('created');
    expect(only()).toMatchObject({
      email: EMAIL,
      roles: ['customer', 'admin'],
      status: 'active',
      displayName: 'Administrator',
      passwordHash: FakePasswordHasher.hashOf(PASSWORD),
      version: 1,
    });
    expect(unitOfWork.publishedTypes()).toEqual(['identity.user_registered']);
  });

  it('promotes an existing customer and resets their password to the configured one', async () => {
    const { bootstrap, seedUser, users } = setUp();
    const customer = seedUser({ email: EMAIL, password: 'their own password', version: 4 });
    expect(await bootstrap()).toBe('promoted');
    expect(users.stateOf(customer.id)).toMatchObject({
      roles: ['customer', 'admin'],
      status: 'active',
      passwordHash: FakePasswordHasher.hashOf(PASSWORD),
      version: 5,
    });
  });

  it('promotes without touching a password that already matches', async () => {
    const { bootstrap, seedUser, users, hasher, unitOfWork } = setUp();
    const customer = seedUser({ email: EMAIL, password: PASSWORD });
    expect(await bootstrap()).toBe('promoted');
    expect(hasher.hashed).toEqual([]);
    expect(users.stateOf(customer.id)?.roles).toEqual(['customer', 'admin']);
    expect(unitOfWork.publishedTypes()).toEqual(['identity.user_roles_changed']);
  });

  it('reactivates a suspended admin', async () => {
    const { bootstrap, seedUser, users } = setUp();
    const admin = seedUser({ email: EMAIL, password: PASSWORD, roles: ['customer', 'admin'], status: 'suspended' });
    expect(await bootstrap()).toBe('promoted');
    expect(users.stateOf(admin.id)?.status).toBe('active');
  });

  it('changes nothing on a second start with the same values', async () => {
    const { bootstrap, only, users, unitOfWork } = setUp();
    await bootstrap();
    const savesAfterFirstRun = users.saved.length;
    const eventsAfterFirstRun = unitOfWork.published.length;
    const before = only();

    expect(await bootstrap()).toBe('unchanged');

    expect(users.saved).toHaveLength(savesAfterFirstRun);
    expect(only()).toEqual(before);
    // The second start may open a transaction, but it writes nothing and publishes nothing.
    expect(unitOfWork.published).toHaveLength(eventsAfterFirstRun);
  });

  it('loses a creation race with 40900 and changes nothing; run again (as IdentityStartup does), it promotes', async () => {
    const { bootstrap, seedUser, users, only } = setUp();
    const save = users.save.bind(users);
    let raced = false;
    users.save = async (user) => {
      if (!raced) {
        raced = true;
        throw new DuplicateError();
      }
      return save(user);
    };

    await expect(bootstrap()).rejects.toBeInstanceOf(DuplicateError);
    // The other instance's admin, committed meanwhile.
    seedUser({ email: EMAIL, password: PASSWORD, roles: ['customer', 'admin'] });
    expect(await bootstrap()).toBe('unchanged');
    expect(only()).toMatchObject({ email: EMAIL, roles: ['customer', 'admin'] });
  });

  it('refuses an invalid ADMIN_EMAIL by name', async () => {
    await expect(setUp().bootstrap('not-an-email')).rejects.toMatchObject({
      code: 40000,
      violations: [{ field: 'ADMIN_EMAIL' }],
    });
  });
});
