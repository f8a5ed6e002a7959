/** The authenticated caller of a request, as the guards and `@CurrentUser()` see it. */
export interface Principal {
  readonly id: string;
  readonly roles: readonly string[];
}

/**
 * Port: the current, authoritative roles and status of a token's subject. The identity context implements it
 * (with a short-lived cache invalidated by its own events) so a suspended, deleted or re-roled user is judged by
 * what is true now, not by what the token said when it was issued.
 * May answer synchronously (cache hit) to keep the hot path free of promise allocations.
 */
export abstract class PrincipalLookup {
  /** undefined when the user no longer exists or may not use the API (suspended, deleted). */
  abstract find(userId: string): Principal | undefined | Promise<Principal | undefined>;
}
