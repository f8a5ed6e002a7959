export {
  ORDERING_EVENT_TYPES,
  ORDERING_EVENT_VERSIONS,
  type OrderingEvent,
  type OrderingEventPayloads,
  type OrderingEventType,
  type OrderingStatus,
  type OrderPayload,
} from './ordering.integration-events.js';
