export { IDENTITY_EVENT_TYPES, type UserRegisteredIntegrationEvent } from './identity.integration-events.js';
