import type { IntegrationEvent } from '../../../shared/application/integration-event.js';

/** One message for the broker: the SPEC §4 body plus what the AMQP properties and headers carry. */
export interface BrokerMessage {
  readonly routingKey: string;
  readonly messageId: string;
  readonly body: { id: string; type: string; occurredAt: string; version: number; payload: unknown };
  readonly headers: Readonly<Record<string, string>>;
}

const TRACE_ID = /^[0-9a-f]{32}$/;

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * `{id, type, occurredAt, version, payload}` (the envelope realtime pushes too), routed by event type, with the W3C
 * trace context of the request that caused the event in the headers:
 * - tracing on: the row stores the causing span's `traceparent` (and `tracestate`); both go out unchanged, so a
 *   consumer's span continues the very trace the in-process handlers do;
 * - tracing off: the row stores the request id; when it is a 32-hex trace id (the generated ones are) it becomes the
 *   trace id of a `traceparent` whose parent span id (`spanId`, random) stands for the publish, else it travels as
 *   `x-request-id`.
 */
export function toBrokerMessage(
  event: IntegrationEvent,
  traceContext: string | null,
  spanId: string,
  traceState: string | null = null,
): BrokerMessage {
  const headers: Record<string, string> = { 'x-aggregate-id': event.aggregateId };
  if (traceContext !== null && TRACE_ID.test(traceContext)) headers.traceparent = `00-${traceContext}-${spanId}-01`;
  else if (traceContext !== null && TRACEPARENT.test(traceContext)) {
    headers.traceparent = traceContext;
    if (traceState !== null && traceState !== '') headers.tracestate = traceState;
  } else if (traceContext !== null) headers['x-request-id'] = traceContext;
  return {
    routingKey: event.type,
    messageId: event.id,
    body: {
      id: event.id,
      type: event.type,
      occurredAt: event.occurredAt,
      version: event.version,
      payload: event.payload,
    },
    headers,
  };
}
