import { Logger } from '@nestjs/common';
import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import type { BrokerMessage } from './broker-message.js';
import { BrokerPublisher } from './broker-publisher.js';

/** Confirms slower than this count as a failed publish: the rows stay unpublished and are retried later. */
const CONFIRM_TIMEOUT_MS = 5_000;
/** AMQP heartbeat: a silently severed connection is noticed within about twice this. */
const HEARTBEAT_SECONDS = 5;
const CONNECT_TIMEOUT_MS = 3_000;

/**
 * RabbitMQ through amqplib: one connection, one confirm channel, a durable topic exchange. Messages are
 * persistent JSON with the event id as message id. Any failure drops the connection; the next publish reconnects
 * (the broker relay backs off between attempts), so a broker outage costs nothing but a growing backlog.
 */
export class AmqpBrokerPublisher extends BrokerPublisher {
  private readonly logger = new Logger('BrokerPublisher');
  private model: ChannelModel | undefined;
  private channel: ConfirmChannel | undefined;
  private opening: Promise<ConfirmChannel> | undefined;

  constructor(
    private readonly url: string,
    private readonly exchange: string,
  ) {
    super();
  }

  async ping(): Promise<boolean> {
    try {
      await this.open();
      return true;
    } catch {
      return false;
    }
  }

  async publish(messages: readonly BrokerMessage[]): Promise<void> {
    if (messages.length === 0) return;
    try {
      const channel = await this.open();
      for (const message of messages) {
        channel.publish(this.exchange, message.routingKey, Buffer.from(JSON.stringify(message.body)), {
          messageId: message.messageId,
          type: message.body.type,
          timestamp: Math.floor(Date.parse(message.body.occurredAt) / 1000),
          persistent: true,
          contentType: 'application/json',
          contentEncoding: 'utf-8',
          headers: message.headers,
        });
      }
      await withTimeout(channel.waitForConfirms(), CONFIRM_TIMEOUT_MS, 'broker confirms timed out');
    } catch (error) {
      await this.drop();
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.drop();
  }

  private open(): Promise<ConfirmChannel> {
    if (this.channel !== undefined) return Promise.resolve(this.channel);
    this.opening ??= this.connect().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async connect(): Promise<ConfirmChannel> {
    const url = new URL(this.url);
    if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', String(HEARTBEAT_SECONDS));
    const model = await connect(url.toString(), { timeout: CONNECT_TIMEOUT_MS });
    // Without listeners an 'error' event would crash the process; losing the broker is only a delay.
    model.on('error', (error: Error) => this.logger.warn({ msg: 'broker connection error', err: error.message }));
    model.on('close', () => {
      if (this.model === model) {
        this.model = undefined;
        this.channel = undefined;
      }
    });
    const channel = await model.createConfirmChannel();
    channel.on('error', (error: Error) => this.logger.warn({ msg: 'broker channel error', err: error.message }));
    await channel.assertExchange(this.exchange, 'topic', { durable: true });
    this.model = model;
    this.channel = channel;
    this.logger.log({ msg: 'connected to the broker', exchange: this.exchange });
    return channel;
  }

  private async drop(): Promise<void> {
    const model = this.model;
    this.model = undefined;
    this.channel = undefined;
    if (model === undefined) return;
    try {
      await withTimeout(model.close(), 1_000, 'close timed out');
    } catch {
      // Already closed or unreachable: nothing left to release.
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
