import { identityFakes } from '../../../../../../test/support/fakes/identity-fakes.js';
import { ValidationFailedError } from '../../../../../shared/domain/domain-error.js';
import { EmailAlreadyRegisteredError } from '../../../domain/identity.errors.js';
import { RegisterUserCommand } from './register-user.command.js';
import { RegisterUserHandler } from './register-user.handler.js';

function setUp() {
  const fakes = identityFakes();
  const handler = new RegisterUserHandler(fakes.factory, fakes.users);
  const register = async (email: string, password: string, displayName: string) =>
    fakes.run(handler, new RegisterUserCommand(email, password, displayName));
  return { ...fakes, register };
}

describe('RegisterUserHandler', () => {
  it('registers an active customer with a normalized email and a hashed password', async () => {
    const { register, users, hasher, clock } = setUp();
    const view = await register('  Ada@Example.COM ', 'correct horse battery', ' Ada ');

    expect(view).toMatchObject({
      email: 'ada@example.com',
      displayName: 'Ada',
      roles: ['customer'],
      status: 'active',
      version: 1,
      createdAt: clock.now().toISOString(),
    });
    expect(view).not.toHaveProperty('passwordHash');
    expect(hasher.hashed).toEqual(['correct horse battery']);
    expect(users.stateOf(view.id)).toMatchObject({ passwordHash: 'hashed:correct horse battery', roles: ['customer'] });
  });

  it('publishes identity.user_registered once the registration has committed', async () => {
    const { register, unitOfWork } = setUp();
    const view = await register('ada@example.com', 'correct horse battery', 'Ada');
    expect(unitOfWork.commits).toBe(1);
    expect(unitOfWork.published).toMatchObject([{ type: 'identity.user_registered', aggregateId: view.id }]);
  });

  it('answers 40900 for an email already registered, without spending a hash on it', async () => {
    const { register, hasher } = setUp();
    await register('ada@example.com', 'correct horse battery', 'Ada');
    const again = register('ADA@example.com', 'another password', 'Ada 2');
    await expect(again).rejects.toThrow(EmailAlreadyRegisteredError);
    await expect(again).rejects.toMatchObject({ code: 40900 });
    expect(hasher.hashed).toHaveLength(1);
  });

  it('answers a concurrent registration that wins on the unique index with 40900 and records no event', async () => {
    const { register, users, unitOfWork } = setUp();
    // What TypeOrmUserRepository turns the unique-index violation into (test/integration proves that part).
    users.failNextSaveWith = new EmailAlreadyRegisteredError();
    const attempt = register('ada@example.com', 'correct horse battery', 'Ada');
    await expect(attempt).rejects.toThrow(EmailAlreadyRegisteredError);
    await expect(attempt).rejects.toMatchObject({ code: 40900, message: 'This email address is already registered' });
    expect(unitOfWork.published).toEqual([]);
  });

  it('lets other persistence failures through unchanged', async () => {
    const { register, users } = setUp();
    const failure = new Error('connection lost');
    users.failNextSaveWith = failure;
    await expect(register('ada@example.com', 'correct horse battery', 'Ada')).rejects.toBe(failure);
  });

  it('reports every invalid field at once and stores nothing', async () => {
    const { register, users, hasher } = setUp();
    const attempt = register('not-an-email', 'short', '   ');
    await expect(attempt).rejects.toThrow(ValidationFailedError);
    const error = (await attempt.catch((caught: unknown) => caught)) as ValidationFailedError;
    expect(error.code).toBe(40000);
    expect(error.violations.map((violation) => violation.field).sort()).toEqual(['displayName', 'email', 'password']);
    expect(users.rows.size).toBe(0);
    expect(hasher.hashed).toEqual([]);
  });
});
