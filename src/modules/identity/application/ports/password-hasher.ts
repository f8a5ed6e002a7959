/** Port: one-way password hashing (argon2id in production). Async because hashing is deliberately slow. */
export abstract class PasswordHasher {
  abstract hash(plain: string): Promise<string>;
  abstract verify(hash: string, plain: string): Promise<boolean>;
  /** Burns the same time as a real verification, so an unknown email is not faster than a wrong password. */
  abstract verifyAgainstDecoy(plain: string): Promise<void>;
}
