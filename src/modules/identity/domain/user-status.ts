/** `deleted` is a deactivation: the row stays (audit, unique email), every token stops working. */
export const USER_STATUSES = ['active', 'suspended', 'deleted'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** What an admin may set through PATCH; deletion has its own endpoint. */
export const ASSIGNABLE_STATUSES = ['active', 'suspended'] as const;
export type AssignableStatus = (typeof ASSIGNABLE_STATUSES)[number];

/**
 * Business rule: a suspended or deleted account holds no sessions (SPEC §3, "a suspended or deleted user's tokens
 * stop working"). Moving an account into such a status ends every session it has — its refresh tokens are revoked
 * in the same transaction; its access tokens fail the principal check from the next request on.
 */
export function endsSessions(status: UserStatus): boolean {
  return status !== 'active';
}
