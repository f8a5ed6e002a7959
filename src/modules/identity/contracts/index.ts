export {
  IDENTITY_EVENT_TYPES,
  IDENTITY_EVENT_VERSIONS,
  type IdentityEvent,
  type IdentityEventPayloads,
  type IdentityEventType,
  type IdentityRole,
  type IdentityUserStatus,
} from './identity.integration-events.js';
