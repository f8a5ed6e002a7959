/** `deleted` is a deactivation: the row stays (audit, unique email), every token stops working. */
export const USER_STATUSES = ['active', 'suspended', 'deleted'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** What an admin may set through PATCH; deletion has its own endpoint. */
export const ASSIGNABLE_STATUSES = ['active', 'suspended'] as const;
export type AssignableStatus = (typeof ASSIGNABLE_STATUSES)[number];
