import type { IntegrationEvent } from '../../../shared/application/integration-event.js';
import { toBrokerMessage } from './broker-message.js';

const event: IntegrationEvent = {
  id: '01936f3e-0000-7000-8000-000000000001',
  type: 'identity.user_registered',
  version: 1,
  occurredAt: '2026-12-01T00:00:00.000Z',
  aggregateId: 'user-1',
  payload: { userId: 'user-1' },
};
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('broker message trace headers', () => {
  it('tracing on: sends the stored traceparent and tracestate unchanged (the causing span continues)', () => {
    const message = toBrokerMessage(event, `00-${TRACE}-00f067aa0ba902b7-01`, 'aaaaaaaaaaaaaaaa', 'vendor=x');
    expect(message.headers).toEqual({
      'x-aggregate-id': 'user-1',
      traceparent: `00-${TRACE}-00f067aa0ba902b7-01`,
      tracestate: 'vendor=x',
    });
  });

  it('tracing off: a 32-hex request id becomes the trace id, with the publish as parent span', () => {
    const message = toBrokerMessage(event, TRACE, 'aaaaaaaaaaaaaaaa', null);
    expect(message.headers.traceparent).toBe(`00-${TRACE}-aaaaaaaaaaaaaaaa-01`);
    expect(message.headers.tracestate).toBeUndefined();
  });

  it('any other request id travels as x-request-id; no context, no trace header', () => {
    expect(toBrokerMessage(event, 'client-request-7', 'aaaaaaaaaaaaaaaa').headers).toEqual({
      'x-aggregate-id': 'user-1',
      'x-request-id': 'client-request-7',
    });
    expect(toBrokerMessage(event, null, 'aaaaaaaaaaaaaaaa').headers).toEqual({ 'x-aggregate-id': 'user-1' });
  });
});
