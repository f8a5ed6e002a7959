import { SessionIssuer } from '../../../src/modules/identity/application/session-issuer.js';
import { UserFactory } from '../../../src/modules/identity/application/user-factory.js';
import type { Role } from '../../../src/modules/identity/domain/role.js';
import type { UserState } from '../../../src/modules/identity/domain/user.aggregate.js';
import type { User } from '../../../src/modules/identity/domain/user.aggregate.js';
import {
  runTransactionalCommand,
  type TransactionalCommandHandler,
} from '../../../src/shared/application/transactional-command-handler.js';
import { FakeAccessTokenSigner } from './fake-access-token-signer.js';
import { FakePasswordHasher } from './fake-password-hasher.js';
import { FakeRefreshTokenCodec } from './fake-refresh-token-codec.js';
import { FixedClock } from './fixed-clock.js';
import { InMemoryRefreshTokenRepository } from './in-memory-refresh-token.repository.js';
import { InMemoryUnitOfWork } from './in-memory-unit-of-work.js';
import { InMemoryUserRepository } from './in-memory-user.repository.js';
import { SequentialIdGenerator } from './sequential-id-generator.js';

export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** Every port identity's handlers need, as fakes wired to each other, plus the real SessionIssuer and UserFactory. */
export function identityFakes() {
  const clock = new FixedClock();
  const ids = new SequentialIdGenerator();
  const hasher = new FakePasswordHasher();
  const unitOfWork = new InMemoryUnitOfWork();
  const users = new InMemoryUserRepository(unitOfWork);
  const refreshTokens = new InMemoryRefreshTokenRepository(unitOfWork);
  const codec = new FakeRefreshTokenCodec();
  const signer = new FakeAccessTokenSigner();
  const sessions = new SessionIssuer(refreshTokens, codec, signer, ids, clock, {
    refreshTokenTtlMs: REFRESH_TOKEN_TTL_MS,
  });
  const factory = new UserFactory(users, hasher, ids, clock);

  /** A stored user with password `password` unless told otherwise. */
  function seedUser(overrides: Partial<UserState> & { password?: string } = {}): User {
    const { password = 'correct horse battery', ...state } = overrides;
    const id = state.id ?? ids.next();
    const roles: readonly Role[] = state.roles ?? ['customer'];
    return users.seed({
      id,
      email: `user-${id.slice(-4)}@example.com`,
      passwordHash: FakePasswordHasher.hashOf(password),
      displayName: 'Ada Lovelace',
      status: 'active',
      version: 1,
      createdAt: clock.now(),
      updatedAt: clock.now(),
      ...state,
      roles,
    });
  }

  /** Runs a handler exactly as the command pipeline does: prepare, then execute in the unit of work. */
  function run<TCommand, TResult, TPrepared>(
    handler: TransactionalCommandHandler<TCommand, TResult, TPrepared>,
    command: TCommand,
  ): Promise<TResult> {
    return runTransactionalCommand(unitOfWork, handler, command);
  }

  return { clock, ids, hasher, unitOfWork, users, refreshTokens, codec, signer, sessions, factory, seedUser, run };
}

export type IdentityFakes = ReturnType<typeof identityFakes>;
