/**
 * What other contexts may know about identity's events. Plain data with a stable `type`; the outbox (events
 * platform) will deliver them. Subscribers import from `identity/contracts`, never from identity's domain.
 */
export const IDENTITY_EVENT_TYPES = {
  userRegistered: 'identity.user_registered',
  userLoggedIn: 'identity.user_logged_in',
  userProfileChanged: 'identity.user_profile_changed',
  userPasswordChanged: 'identity.user_password_changed',
  userRolesChanged: 'identity.user_roles_changed',
  userStatusChanged: 'identity.user_status_changed',
} as const;

export interface UserRegisteredIntegrationEvent {
  readonly type: typeof IDENTITY_EVENT_TYPES.userRegistered;
  readonly userId: string;
  readonly email: string;
  readonly displayName: string;
  readonly occurredAt: string;
}
