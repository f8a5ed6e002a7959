import type { Email } from './email.value-object.js';
import type { User } from './user.aggregate.js';

/** Port: how the application loads and stores users. Implemented in infrastructure/persistence. */
export abstract class UserRepository {
  abstract findById(id: string): Promise<User | undefined>;
  abstract findByEmail(email: Email): Promise<User | undefined>;
  /** Inserts or updates with optimistic locking; a taken email surfaces as DuplicateError. */
  abstract save(user: User): Promise<void>;
}
