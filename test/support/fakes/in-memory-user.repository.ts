import type { Email } from '../../../src/modules/identity/domain/email.value-object.js';
import { User, type UserState } from '../../../src/modules/identity/domain/user.aggregate.js';
import { UserRepository } from '../../../src/modules/identity/domain/user.repository.js';
import { EmailAlreadyRegisteredError } from '../../../src/modules/identity/domain/identity.errors.js';
import { ConcurrentUpdateError, DuplicateError } from '../../../src/shared/domain/domain-error.js';
import type { InMemoryUnitOfWork, TransactionalStore } from './in-memory-unit-of-work.js';

/**
 * Stores snapshots, like rows: every find returns a fresh aggregate, so a test sees only what was really saved.
 * Mirrors TypeOrmUserRepository: unchanged aggregates are not written but still tracked, a taken email is an
 * EmailAlreadyRegisteredError (a taken id a DuplicateError), and a stale version a ConcurrentUpdateError. Takes
 * part in the in-memory unit of work's rollbacks.
 */
export class InMemoryUserRepository extends UserRepository implements TransactionalStore {
  readonly rows = new Map<string, UserState>();
  /** Every aggregate passed to save (written or not). */
  readonly saved: User[] = [];
  writes = 0;
  /** Makes the next save fail with this error (e.g. a DuplicateError from a concurrent registration). */
  failNextSaveWith: Error | undefined;

  constructor(private readonly unitOfWork: InMemoryUnitOfWork) {
    super();
    unitOfWork.enlist(this);
  }

  snapshot(): Map<string, UserState> {
    return new Map(this.rows);
  }

  restore(snapshot: unknown): void {
    this.rows.clear();
    for (const [id, row] of snapshot as Map<string, UserState>) this.rows.set(id, row);
  }

  /** Puts a row in place directly, as if it had been saved earlier. */
  seed(state: UserState): User {
    this.rows.set(state.id, state);
    return User.restore(state);
  }

  async findById(id: string): Promise<User | undefined> {
    const row = this.rows.get(id);
    return row === undefined ? undefined : User.restore(row);
  }

  async findByEmail(email: Email): Promise<User | undefined> {
    const row = [...this.rows.values()].find((candidate) => candidate.email === email.value);
    return row === undefined ? undefined : User.restore(row);
  }

  async save(user: User): Promise<void> {
    this.saved.push(user);
    const failure = this.failNextSaveWith;
    if (failure !== undefined) {
      this.failNextSaveWith = undefined;
      throw failure;
    }
    if (user.hasUnsavedChanges) this.write(user);
    this.unitOfWork.track(user);
  }

  stateOf(id: string): UserState | undefined {
    return this.rows.get(id);
  }

  private write(user: User): void {
    const state = user.snapshot();
    const stored = this.rows.get(user.id);
    if (user.isNew && stored !== undefined) throw new DuplicateError();
    if (!user.isNew && stored?.version !== user.expectedStoredVersion) throw new ConcurrentUpdateError();
    const emailTaken = [...this.rows.values()].some((row) => row.email === state.email && row.id !== state.id);
    if (emailTaken) throw new EmailAlreadyRegisteredError();
    this.rows.set(user.id, { ...state, roles: [...state.roles] });
    this.writes += 1;
  }
}
