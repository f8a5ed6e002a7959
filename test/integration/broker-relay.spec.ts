import { connect, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { v7 as uuidv7 } from 'uuid';
import type { DataSource } from 'typeorm';
import { AmqpBrokerPublisher } from '../../src/platform/messaging/broker/amqp-broker-publisher.js';
import { BrokerRelay } from '../../src/platform/messaging/broker/broker-relay.js';
import { OutboxMonitor } from '../../src/platform/messaging/outbox-monitor.js';
import { OutboxEventOrmEntity } from '../../src/platform/persistence/outbox/outbox-event.orm-entity.js';
import { SystemClock } from '../../src/platform/runtime/system-clock.js';
import { EventSource, writeEvents } from '../support/outbox-harness.js';
import { createPersistenceHarness, type PersistenceHarness } from '../support/persistence-harness.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { brokerReachable, TEST_BROKER_URL as BROKER } from '../support/test-broker.js';
import { createTestDataSource } from '../support/test-data-source.js';
import { describeProfile } from '../support/test-profile.js';
import { waitFor } from '../support/wait-for.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

describe(describeProfile('broker relay: RabbitMQ publishing with confirms, through outages'), () => {
  let available = false;
  let dataSource: DataSource;
  let harness: PersistenceHarness;
  let proxy: TcpProxy;
  let relay: BrokerRelay;
  let consumer: ChannelModel;
  let exchange: string;
  let type: string;
  const received: ConsumeMessage[] = [];

  beforeAll(async () => {
    available = await brokerReachable();
    if (!available) return;
    dataSource = await createTestDataSource();
    harness = createPersistenceHarness(dataSource, { brokerEnabled: true, pollIntervalMs: 100 });
    proxy = await new TcpProxy(BROKER.hostname, Number(BROKER.port || 5672)).start();
    exchange = `orderly.test.${uuidv7()}`;
    type = `test.broker_${uuidv7().replaceAll('-', '')}`;
    const viaProxy = new URL(BROKER);
    viaProxy.port = String(proxy.port);
    relay = new BrokerRelay(
      harness.outbox,
      new SystemClock(),
      harness.settings,
      new OutboxMonitor(harness.outbox),
      harness.signal,
      new AmqpBrokerPublisher(viaProxy.toString(), exchange),
    );
    // A consumer outside the monolith, straight to the broker: a queue bound to this test's routing key.
    consumer = await connect(BROKER.toString());
    const channel = await consumer.createChannel();
    await channel.assertExchange(exchange, 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, exchange, type);
    await channel.consume(queue, (message) => message && received.push(message), { noAck: true });
    relay.onApplicationBootstrap();
  });

  afterAll(async () => {
    if (!available) return;
    await relay.beforeApplicationShutdown();
    const channel = await consumer.createChannel();
    await channel.deleteExchange(exchange);
    await consumer.close();
    await proxy.stop();
    await dataSource.destroy();
  });

  const unpublished = async () =>
    (await dataSource.getRepository(OutboxEventOrmEntity).findBy({ type })).filter((row) => row.publishedAt === null)
      .length;

  it('publishes every event once: topic routing key, message id, persistent JSON, trace context, confirmed', async (context) => {
    if (!available) return context.skip();
    const sources = Array.from({ length: 20 }, (_, n) => new EventSource(uuidv7()).emit(type, n));
    await harness.trace.run({ traceId: TRACE_ID }, () => writeEvents(harness, sources));

    await waitFor(
      () => received.length,
      (count) => count >= 20,
    );
    await relay.settled();
    const rows = await dataSource.getRepository(OutboxEventOrmEntity).find({ where: { type }, order: { seq: 'ASC' } });
    expect(received.map((message) => message.properties.messageId)).toEqual(rows.map((row) => row.id));
    const [first] = received;
    expect(first?.fields.routingKey).toBe(type);
    expect(first?.properties).toMatchObject({
      contentType: 'application/json',
      deliveryMode: 2,
      type,
    });
    expect(first?.properties.headers?.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(JSON.parse(first?.content.toString() ?? '{}')).toEqual({
      id: rows[0]?.id,
      type,
      occurredAt: rows[0]?.occurredAt.toISOString(),
      version: 1,
      payload: { n: 0 },
    });
    expect(await unpublished()).toBe(0);
  });

  it('a severed broker link delays publishing without losing or failing anything; it catches up when restored', async (context) => {
    if (!available) return context.skip();
    received.length = 0;
    await proxy.sever();
    const sources = Array.from({ length: 30 }, (_, n) => new EventSource(uuidv7()).emit(type, 100 + n));
    // Writes (requests) go through while the broker is unreachable.
    for (const source of sources) await writeEvents(harness, [source]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(received).toHaveLength(0);
    expect(await unpublished()).toBe(30);

    await proxy.restore();
    await waitFor(
      () => received.length,
      (count) => count >= 30,
      40_000,
    );
    await waitFor(unpublished, (left) => left === 0);
    const ids = received.map((message) => message.properties.messageId as string);
    expect(new Set(ids).size).toBe(30);
    expect(
      received.map((message) => (JSON.parse(message.content.toString()) as { payload: { n: number } }).payload.n),
    ).toEqual(sources.map((_, n) => 100 + n));
  });
});
