import type { BrokerMessage } from './broker-message.js';

/** Publishes messages to the external broker; resolves only once the broker has confirmed every one of them. */
export abstract class BrokerPublisher {
  abstract publish(messages: readonly BrokerMessage[]): Promise<void>;
  /** Connects if needed: true when the broker answers (readiness reports it; it never fails readiness). */
  abstract ping(): Promise<boolean>;
  abstract close(): Promise<void>;
}
