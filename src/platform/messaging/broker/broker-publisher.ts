import type { BrokerMessage } from './broker-message.js';

/** Publishes messages to the external broker; resolves only once the broker has confirmed every one of them. */
export abstract class BrokerPublisher {
  abstract publish(messages: readonly BrokerMessage[]): Promise<void>;
  /** Whether the last attempt reached the broker: reported by readiness as up/down, never failing it. */
  abstract get connected(): boolean;
  abstract close(): Promise<void>;
}
