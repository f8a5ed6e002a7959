import type { IntegrationEvent } from '../../../shared/application/integration-event.js';

/**
 * What other contexts (and consumers of the broker) may rely on about identity's events: the type names, the
 * payload of each version, and nothing else. Subscribers import from `identity/contracts`, never from identity's
 * domain. A breaking change to a payload is a new version (`version: 2`) published beside the old one until every
 * subscriber has moved; adding an optional field is not breaking.
 */
export const IDENTITY_EVENT_TYPES = {
  userRegistered: 'identity.user_registered',
  userLoggedIn: 'identity.user_logged_in',
  userProfileChanged: 'identity.user_profile_changed',
  userPasswordChanged: 'identity.user_password_changed',
  userRolesChanged: 'identity.user_roles_changed',
  userStatusChanged: 'identity.user_status_changed',
} as const;

export type IdentityRole = 'customer' | 'admin';
export type IdentityUserStatus = 'active' | 'suspended' | 'deleted';

/** Payloads by event type, version 1. */
export interface IdentityEventPayloads {
  'identity.user_registered': {
    readonly userId: string;
    readonly email: string;
    readonly displayName: string;
    readonly roles: readonly IdentityRole[];
  };
  'identity.user_logged_in': { readonly userId: string };
  'identity.user_profile_changed': { readonly userId: string; readonly displayName: string };
  'identity.user_password_changed': { readonly userId: string };
  'identity.user_roles_changed': { readonly userId: string; readonly roles: readonly IdentityRole[] };
  /** `deleted` is final; `suspended` and `deleted` both end every session of the user. */
  'identity.user_status_changed': { readonly userId: string; readonly status: IdentityUserStatus };
}

export type IdentityEventType = keyof IdentityEventPayloads;

/** The event a subscriber receives, e.g. `IdentityEvent<'identity.user_registered'>`. */
export type IdentityEvent<TType extends IdentityEventType> = IntegrationEvent<IdentityEventPayloads[TType], TType>;

/** The payload version each type is published at today. */
export const IDENTITY_EVENT_VERSIONS: Readonly<Record<IdentityEventType, number>> = {
  'identity.user_registered': 1,
  'identity.user_logged_in': 1,
  'identity.user_profile_changed': 1,
  'identity.user_password_changed': 1,
  'identity.user_roles_changed': 1,
  'identity.user_status_changed': 1,
};
