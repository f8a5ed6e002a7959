export interface MintedRefreshToken {
  /** Given to the client once; never stored. */
  readonly raw: string;
  /** What the database stores and looks up. */
  readonly hash: string;
}

/**
 * Port: creates and hashes opaque refresh tokens. The family id travels inside the token so the refresh limit
 * can count per (client IP, token family) before any database work (§4a).
 */
export abstract class RefreshTokenCodec {
  abstract mint(familyId: string): MintedRefreshToken;
  abstract hash(raw: string): string;
  /** The family id embedded in a well-formed token, or undefined. */
  abstract familyOf(raw: string): string | undefined;
}
