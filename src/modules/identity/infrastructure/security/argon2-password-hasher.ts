import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { PasswordHasher } from '../../application/ports/password-hasher.js';

/**
 * argon2id through @node-rs/argon2 (prebuilt, no node-gyp). Hashing runs on libuv's thread pool, so the ~25 ms
 * of deliberate work per hash never blocks the event loop. Parameters follow OWASP's argon2id baseline.
 */
/** `Algorithm.Argon2id` is an ambient const enum (unusable with isolatedModules); its value is 2. */
const ARGON2ID = 2;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class Argon2PasswordHasher extends PasswordHasher {
  private decoy: Promise<string> | undefined;

  hash(plain: string): Promise<string> {
    return hash(plain, OPTIONS);
  }

  async verify(hashed: string, plain: string): Promise<boolean> {
    try {
      return await verify(hashed, plain);
    } catch {
      // A malformed stored hash must not become a 500 on login; it simply never matches.
      return false;
    }
  }

  async verifyAgainstDecoy(plain: string): Promise<void> {
    this.decoy ??= this.hash('decoy-password-for-unknown-accounts');
    await this.verify(await this.decoy, plain);
  }
}
