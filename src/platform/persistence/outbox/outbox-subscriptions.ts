/**
 * Which events have in-process subscribers (`@OnIntegrationEvent` handlers whose `where`, if any, accepts the
 * payload). The messaging platform answers;
 * the outbox writer asks, so that a row nobody in the process will handle is written already delivered — it only
 * waits for the broker, if there is one — instead of taking a place in its aggregate's delivery order, where it
 * would hold back the events behind it until a relay had claimed and finished it.
 */
export abstract class OutboxSubscriptions {
  abstract isSubscribed(type: string, payload: Readonly<Record<string, unknown>>): boolean;
}
