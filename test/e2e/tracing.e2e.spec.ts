import { createTraceState, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { connect, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { v7 as uuidv7 } from 'uuid';
import { DataSource } from 'typeorm';
import { IntegrationEventHandlers } from '../../src/platform/messaging/integration-event-handlers.js';
import { OutboxEventOrmEntity } from '../../src/platform/persistence/outbox/outbox-event.orm-entity.js';
import type { IntegrationEvent } from '../../src/shared/application/integration-event.js';
import { ApiClient } from '../support/api-client.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { brokerReachable, TEST_BROKER_URL } from '../support/test-broker.js';
import { describeProfile } from '../support/test-profile.js';
import { parentSpanId, startTracingHarness, type TracingHarness } from '../support/tracing-harness.js';
import { waitFor } from '../support/wait-for.js';

/** The caller's span: requests arrive with its traceparent, so their traces continue it. */
const INCOMING = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: 1,
  isRemote: true,
  traceState: createTraceState('vendor=opaque-1'),
};

/**
 * Tracing inside the application, in-process (docs/ARCHITECTURE.md "Tracing"): the real SDK set-up with spans kept in
 * memory, requests through Fastify's inject carrying a caller's W3C `traceparent`/`tracestate`; the process test
 * covers the preload and the mysql2/ioredis spans.
 */
describe(describeProfile('tracing: handler spans, log/envelope ids, trace continued through the outbox'), () => {
  let tracing: TracingHarness;
  let testApp: TestApp;
  let api: ApiClient;
  let broker = false;
  let consumer: ChannelModel | undefined;
  const exchange = `orderly.tracing.${uuidv7()}`;
  const received: ConsumeMessage[] = [];
  const handled: { event: IntegrationEvent; traceId: string | undefined; spanId: string | undefined }[] = [];

  beforeAll(async () => {
    tracing = startTracingHarness();
    broker = await brokerReachable();
    if (broker) {
      consumer = await connect(TEST_BROKER_URL.toString());
      const channel = await consumer.createChannel();
      await channel.assertExchange(exchange, 'topic', { durable: true });
      const { queue } = await channel.assertQueue('', { exclusive: true });
      await channel.bindQueue(queue, exchange, 'identity.#');
      await channel.consume(queue, (message) => message && received.push(message), { noAck: true });
    }
    testApp = await createTestApp(broker ? { BROKER_URL: TEST_BROKER_URL.toString(), BROKER_EXCHANGE: exchange } : {});
    api = new ApiClient(testApp);
    // An asynchronous handler of the kind another context would subscribe: it records the span it runs in.
    testApp.app.get(IntegrationEventHandlers).register(
      { name: 'TracingProbe', types: ['identity.user_registered'] },
      {
        handle: (event) => {
          const span = trace.getActiveSpan()?.spanContext();
          handled.push({ event, traceId: span?.traceId, spanId: span?.spanId });
          return Promise.resolve();
        },
      },
    );
  });

  afterAll(async () => {
    await testApp?.close();
    if (consumer !== undefined) {
      await (await consumer.createChannel()).deleteExchange(exchange);
      await consumer.close();
    }
    await tracing?.stop();
  });

  /** The W3C headers of a caller whose span is INCOMING: the request's SERVER span continues it. */
  const TRACE_HEADERS = {
    traceparent: `00-${INCOMING.traceId}-${INCOMING.spanId}-01`,
    tracestate: 'vendor=opaque-1',
  };
  const register = (email: string) =>
    api.call('POST', '/api/v1/auth/register', {
      body: { email, password: 'password-1234', displayName: 'Traced' },
      headers: TRACE_HEADERS,
    });

  /** The request's SERVER span (opened by the request hooks) among the finished spans. */
  async function serverSpanOf(requestId: unknown) {
    const spans = await tracing.spans();
    return spans.find((span) => span.kind === SpanKind.SERVER && span.attributes['orderly.request_id'] === requestId);
  }

  it('runs a command in a span named after its handler, child of the request span, and answers with the trace id', async () => {
    const email = api.uniqueEmail('traced');
    const registered = await register(email);
    expect(registered.status).toBe(201);
    // The envelope names the OTel trace; X-Request-Id keeps the request id.
    expect(registered.body.traceId).toBe(INCOMING.traceId);
    expect(registered.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(registered.headers['x-request-id']).not.toBe(INCOMING.traceId);

    const command = (await tracing.spans('command RegisterUserHandler')).find(
      (span) => span.spanContext().traceId === INCOMING.traceId,
    );
    expect(command).toBeDefined();
    // The SERVER span continues the caller's traceparent, named after the route template; the command is its child.
    const server = await serverSpanOf(registered.headers['x-request-id']);
    expect(server?.name).toBe('POST /api/v1/auth/register');
    expect(parentSpanId(server!)).toBe(INCOMING.spanId);
    expect(server?.attributes).toMatchObject({
      'http.route': '/api/v1/auth/register',
      'http.response.status_code': 201,
    });
    expect(parentSpanId(command!)).toBe(server?.spanContext().spanId);
    expect(command!.attributes).toMatchObject({
      'orderly.handler': 'RegisterUserHandler',
      'orderly.command': 'RegisterUserCommand',
    });
    expect(command!.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  it('records a failing command on its span (status ERROR, exception event)', async () => {
    const email = api.uniqueEmail('twice');
    await api.register(email);
    const duplicate = await register(email);
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.traceId).toBe(INCOMING.traceId);
    const failed = (await tracing.spans('command RegisterUserHandler')).filter(
      (span) => span.status.code === SpanStatusCode.ERROR,
    );
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.at(-1)!.events.map((event) => event.name)).toContain('exception');
  });

  it('runs a query in a span named after its handler', async () => {
    const session = await api.newCustomer();
    const me = await api.call('GET', '/api/v1/users/me', { token: session.accessToken, headers: TRACE_HEADERS });
    expect(me.status).toBe(200);
    const query = (await tracing.spans('query GetUserHandler')).find(
      (span) => span.spanContext().traceId === INCOMING.traceId,
    );
    expect(query).toBeDefined();
    const server = await serverSpanOf(me.headers['x-request-id']);
    expect(server?.name).toBe('GET /api/v1/users/me');
    expect(parentSpanId(query!)).toBe(server?.spanContext().spanId);
    expect(query!.attributes).toMatchObject({ 'orderly.query': 'GetUserQuery' });
  });

  it('keeps one trace from the request through the outbox row to the asynchronous handler (and the broker)', async () => {
    const email = api.uniqueEmail('continued');
    const registered = await register(email);
    expect(registered.status).toBe(201);
    const userId = (registered.body.data as { id: string }).id;

    // The outbox row stores the command span's full W3C context.
    const rows = await testApp.app
      .get(DataSource)
      .getRepository(OutboxEventOrmEntity)
      .findBy({ aggregateId: userId, type: 'identity.user_registered' });
    expect(rows).toHaveLength(1);
    const row = rows[0];
    const commandSpans = (await tracing.spans('command RegisterUserHandler')).filter(
      (span) => row.traceContext === `00-${INCOMING.traceId}-${span.spanContext().spanId}-01`,
    );
    expect(commandSpans).toHaveLength(1);
    const commandSpanId = commandSpans[0].spanContext().spanId;
    expect(row.traceState).toBe('vendor=opaque-1');

    // The handler ran in a span `event <handler>` (CONSUMER), child of the command span, in the same trace.
    const delivery = await waitFor(
      () => handled.find((entry) => entry.event.aggregateId === userId),
      (found) => found !== undefined,
    );
    expect(delivery?.traceId).toBe(INCOMING.traceId);
    const eventSpan = await waitFor(
      () =>
        tracing
          .spans('event TracingProbe')
          .then((spans) => spans.find((span) => span.spanContext().spanId === delivery?.spanId)),
      (found) => found !== undefined,
    );
    expect(eventSpan?.kind).toBe(SpanKind.CONSUMER);
    expect(eventSpan?.spanContext().traceId).toBe(INCOMING.traceId);
    expect(parentSpanId(eventSpan!)).toBe(commandSpanId);
    expect(eventSpan?.attributes).toMatchObject({
      'orderly.event.type': 'identity.user_registered',
      'messaging.message.id': row.id,
    });

    if (!broker) return;
    // The RabbitMQ message carries the same traceparent and tracestate.
    const message = await waitFor(
      () => received.find((candidate) => candidate.properties.messageId === row.id),
      (found) => found !== undefined,
    );
    expect(message?.properties.headers?.traceparent).toBe(`00-${INCOMING.traceId}-${commandSpanId}-01`);
    expect(message?.properties.headers?.tracestate).toBe('vendor=opaque-1');
  });
});
