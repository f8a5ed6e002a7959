/** What login and refresh answer (§4a): `expiresIn` is the access token's lifetime in seconds. */
export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
}
