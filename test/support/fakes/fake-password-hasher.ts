import { PasswordHasher } from '../../../src/modules/identity/application/ports/password-hasher.js';

/** Reversible on purpose ("hashed:<plain>") so tests can seed users with a known password; records every call. */
export class FakePasswordHasher extends PasswordHasher {
  readonly hashed: string[] = [];
  readonly verified: { hash: string; plain: string }[] = [];
  readonly decoys: string[] = [];

  static hashOf(plain: string): string {
    return `hashed:${plain}`;
  }

  async hash(plain: string): Promise<string> {
    this.hashed.push(plain);
    return FakePasswordHasher.hashOf(plain);
  }

  async verify(hash: string, plain: string): Promise<boolean> {
    this.verified.push({ hash, plain });
    return hash === FakePasswordHasher.hashOf(plain);
  }

  async verifyAgainstDecoy(plain: string): Promise<void> {
    this.decoys.push(plain);
  }
}
