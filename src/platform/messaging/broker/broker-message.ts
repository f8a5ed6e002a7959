import type { IntegrationEvent } from '../../../shared/application/integration-event.js';

/** One message for the broker: the SPEC §4 body plus what the AMQP properties and headers carry. */
export interface BrokerMessage {
  readonly routingKey: string;
  readonly messageId: string;
  readonly body: { id: string; type: string; occurredAt: string; version: number; payload: unknown };
  readonly headers: Readonly<Record<string, string>>;
}

const TRACE_ID = /^[0-9a-f]{32}$/;

/**
 * `{id, type, occurredAt, version, payload}` (the envelope realtime pushes too), routed by event type. The trace
 * context goes in W3C form when the stored trace id is one (the default request id is); a random parent span id
 * stands for the publish, since the producing span is long gone.
 */
export function toBrokerMessage(event: IntegrationEvent, traceContext: string | null, spanId: string): BrokerMessage {
  const headers: Record<string, string> = { 'x-aggregate-id': event.aggregateId };
  if (traceContext !== null && TRACE_ID.test(traceContext)) headers.traceparent = `00-${traceContext}-${spanId}-01`;
  else if (traceContext !== null && traceContext.startsWith('00-')) headers.traceparent = traceContext;
  else if (traceContext !== null) headers['x-request-id'] = traceContext;
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
