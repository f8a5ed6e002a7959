/** The slice of configuration identity's use cases need, bound from AppConfig in identity.module.ts. */
export abstract class IdentitySettings {
  abstract readonly refreshTokenTtlMs: number;
}
