import {
  RefreshTokenCodec,
  type MintedRefreshToken,
} from '../../../src/modules/identity/application/ports/refresh-token-codec.js';

/** Readable tokens (`rt.<familyId>.<n>`) with a recognisable "hash", so tests can present and look them up. */
export class FakeRefreshTokenCodec extends RefreshTokenCodec {
  private counter = 0;

  mint(familyId: string): MintedRefreshToken {
    this.counter += 1;
    const raw = `rt.${familyId}.${this.counter}`;
    return { raw, hash: this.hash(raw) };
  }

  hash(raw: string): string {
    return `sha(${raw})`;
  }

  familyOf(raw: string): string | undefined {
    const [prefix, familyId, serial, ...rest] = raw.split('.');
    return prefix === 'rt' && familyId && serial && rest.length === 0 ? familyId : undefined;
  }
}
