import { identityFakes } from '../../../../../../test/support/fakes/identity-fakes.js';
import { InvalidCredentialsError } from '../../../domain/identity.errors.js';
import { LogInCommand } from './log-in.command.js';
import { LogInHandler } from './log-in.handler.js';

const PASSWORD = 'correct horse battery';

function setUp() {
  const fakes = identityFakes();
  const handler = new LogInHandler(fakes.users, fakes.hasher, fakes.sessions, fakes.clock);
  const logIn = async (email: string, password: string) => fakes.run(handler, new LogInCommand(email, password));
  const ada = fakes.seedUser({ email: 'ada@example.com', password: PASSWORD });
  return { ...fakes, logIn, ada };
}

async function failureOf(attempt: Promise<unknown>): Promise<InvalidCredentialsError> {
  const error = await attempt.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidCredentialsError);
  return error as InvalidCredentialsError;
}

describe('LogInHandler', () => {
  it('gives an unknown email and a wrong password the same answer', async () => {
    const { logIn } = setUp();
    const unknown = await failureOf(logIn('nobody@example.com', PASSWORD));
    const wrong = await failureOf(logIn('ada@example.com', 'wrong password'));
    expect(unknown.message).toBe(wrong.message);
    expect([unknown.code, wrong.code]).toEqual([40100, 40100]);
  });

  it('burns a decoy verification for an unknown or malformed email, and only then', async () => {
    const { logIn, hasher } = setUp();
    await failureOf(logIn('nobody@example.com', 'guess-1'));
    await failureOf(logIn('not an email', 'guess-2'));
    expect(hasher.decoys).toEqual(['guess-1', 'guess-2']);
    expect(hasher.verified).toEqual([]);

    await failureOf(logIn('ada@example.com', 'wrong password'));
    expect(hasher.decoys).toHaveLength(2);
    expect(hasher.verified).toHaveLength(1);
  });

  it.each(['suspended', 'deleted'] as const)('refuses a %s user with the right password', async (status) => {
    const { logIn, seedUser, refreshTokens, unitOfWork } = setUp();
    seedUser({ email: 'eve@example.com', password: PASSWORD, status });
    await failureOf(logIn('eve@example.com', PASSWORD));
    expect(refreshTokens.rows.size).toBe(0);
    expect(unitOfWork.published).toEqual([]);
  });

  it('issues a token pair starting a new refresh-token family', async () => {
    const { logIn, ada, sessions, refreshTokens, codec } = setUp();
    const issue = vi.spyOn(sessions, 'issue');

    const pair = await logIn(' ADA@example.com', PASSWORD);

    expect(issue).toHaveBeenCalledTimes(1);
    expect(issue.mock.calls[0]?.[0].id).toBe(ada.id);
    expect(issue.mock.calls[0]?.[1]).toBeUndefined();
    expect(pair).toEqual({
      accessToken: `access(${ada.id}|customer)`,
      refreshToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 900,
    });
    const stored = await refreshTokens.findByHash(codec.hash(pair.refreshToken));
    expect(stored?.userId).toBe(ada.id);
    expect(stored?.familyId).toBe(codec.familyOf(pair.refreshToken));
  });

  it('starts a different family on every login', async () => {
    const { logIn, codec } = setUp();
    const first = await logIn('ada@example.com', PASSWORD);
    const second = await logIn('ada@example.com', PASSWORD);
    expect(codec.familyOf(first.refreshToken)).not.toBe(codec.familyOf(second.refreshToken));
  });

  it('records identity.user_logged_in without bumping the version', async () => {
    const { logIn, ada, unitOfWork, users, clock } = setUp();
    await logIn('ada@example.com', PASSWORD);
    expect(unitOfWork.published).toMatchObject([
      { type: 'identity.user_logged_in', aggregateId: ada.id, occurredAt: clock.now() },
    ]);
    expect(users.stateOf(ada.id)?.version).toBe(1);
    expect(users.writes).toBe(0);
  });
});
