import { connect, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { v7 as uuidv7 } from 'uuid';
import { ApiClient } from '../support/api-client.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { brokerReachable, TEST_BROKER_URL } from '../support/test-broker.js';
import { describeProfile } from '../support/test-profile.js';
import { waitFor } from '../support/wait-for.js';

const BROKER_URL = TEST_BROKER_URL.toString();
/** Nothing listens on port 1: a broker that is down from the start. */
const DEAD_BROKER_URL = 'amqp://guest:guest@127.0.0.1:1';

describe(describeProfile('broker end to end: identity events reach RabbitMQ; a dead broker degrades nothing'), () => {
  describe('with RabbitMQ', () => {
    let available = false;
    let testApp: TestApp;
    let consumer: ChannelModel;
    const exchange = `orderly.e2e.${uuidv7()}`;
    const received: ConsumeMessage[] = [];

    beforeAll(async () => {
      available = await brokerReachable();
      if (!available) return;
      // The consumer's queue exists before the first event is published.
      consumer = await connect(BROKER_URL);
      const channel = await consumer.createChannel();
      await channel.assertExchange(exchange, 'topic', { durable: true });
      const { queue } = await channel.assertQueue('', { exclusive: true });
      await channel.bindQueue(queue, exchange, 'identity.#');
      await channel.consume(queue, (message) => message && received.push(message), { noAck: true });
      testApp = await createTestApp({ BROKER_URL, BROKER_EXCHANGE: exchange });
    });
    afterAll(async () => {
      if (!available) return;
      await testApp.close();
      await (await consumer.createChannel()).deleteExchange(exchange);
      await consumer.close();
    });

    it('publishes identity.user_registered with the request trace as traceparent', async (context) => {
      if (!available) return context.skip();
      const api = new ApiClient(testApp);
      const email = api.uniqueEmail('broker');
      const registered = await api.register(email);
      expect(registered.status).toBe(201);

      const message = await waitFor(
        () =>
          received.find(
            (candidate) =>
              candidate.fields.routingKey === 'identity.user_registered' &&
              (JSON.parse(candidate.content.toString()) as { payload: { email: string } }).payload.email === email,
          ),
        (found) => found !== undefined,
      );
      const body = JSON.parse(message?.content.toString() ?? '{}') as Record<string, unknown>;
      expect(body).toMatchObject({
        type: 'identity.user_registered',
        version: 1,
        payload: { userId: registered.body.data.id, email, roles: ['customer'] },
      });
      expect(message?.properties.messageId).toBe(body.id);
      expect(message?.properties.headers?.traceparent).toMatch(
        new RegExp(`^00-${registered.body.traceId}-[0-9a-f]{16}-01$`),
      );
    });

    it('reports the broker up in readiness', async (context) => {
      if (!available) return context.skip();
      const ready = await testApp.request({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({ details: { broker: { status: 'up' } } });
    });
  });

  describe('with the broker unreachable', () => {
    let testApp: TestApp;

    beforeAll(async () => {
      testApp = await createTestApp({ BROKER_URL: DEAD_BROKER_URL });
    });
    afterAll(() => testApp.close());

    it('serves writes and stays ready, reporting the broker down', async () => {
      const api = new ApiClient(testApp);
      const registered = await api.register(api.uniqueEmail('no-broker'));
      expect(registered.status).toBe(201);
      const ready = await testApp.request({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({ status: 'ok', details: { broker: { status: 'down' } } });
    });
  });
});
