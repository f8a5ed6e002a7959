import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { RedisTier } from './redis-tier.js';

/** `{i: sender instance, c: cache name, k: keys}` — short field names, one message per invalidate call. */
interface InvalidationMessage {
  readonly i: string;
  readonly c: string;
  readonly k: readonly string[];
}

const RESUBSCRIBE_DELAY_MS = 1_000;

/**
 * Cross-instance invalidation over Redis pub/sub: every instance drops its in-process copies as soon as another
 * instance invalidates them, instead of waiting up to the local TTL (1 s), which stays the guarantee when a message
 * is lost (subscriber disconnected, Redis down).
 *
 * Messages go out on the shared connection; they are received on a separate connection (a subscribed connection
 * can do nothing else), duplicated from the shared one. That connection never blocks start-up or shutdown: it
 * connects in the background, subscribes each time it becomes ready, and is disconnected (not QUIT) on close.
 * Pub/sub ignores Redis database numbers, so the channel carries the database: applications on other databases of
 * the same server never evict each other's entries.
 */
export class InvalidationBus {
  private readonly logger = new Logger('CacheInvalidationBus');
  private readonly instanceId = randomUUID();
  private readonly channel: string;
  private readonly subscriber: Redis;
  private resubscribeTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    client: Redis,
    private readonly tier: RedisTier,
    private readonly onRemoteInvalidation: (cache: string, keys: readonly string[]) => void,
  ) {
    this.channel = `${tier.namespace}invalidations:${client.options.db ?? 0}`;
    this.subscriber = client.duplicate({
      lazyConnect: true,
      enableOfflineQueue: false,
      autoResubscribe: false,
      maxRetriesPerRequest: 1,
    });
    // The shared connection already reports outages; this one only says when it is subscribed again.
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('ready', () => this.subscribe());
    this.subscriber.on('message', (channel: string, message: string) => this.receive(channel, message));
    this.subscriber.connect().catch(() => undefined);
  }

  publish(cache: string, keys: readonly string[]): void {
    const message: InvalidationMessage = { i: this.instanceId, c: cache, k: keys };
    this.tier.publish(this.channel, JSON.stringify(message));
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.resubscribeTimer);
    this.subscriber.disconnect();
  }

  /** For tests: resolves once the subscriber listens. */
  async subscribed(): Promise<void> {
    while (!this.closed && this.subscriber.status !== 'ready') await new Promise((r) => setTimeout(r, 10));
    // `subscribe` is sent on 'ready'; one round trip later the server has registered it.
    if (!this.closed) await this.subscriber.subscribe(this.channel);
  }

  private subscribe(): void {
    this.subscriber.subscribe(this.channel).catch((error: Error) => {
      if (this.closed) return;
      this.logger.warn(`cache invalidation channel: subscribe failed (${error.message}), retrying`);
      this.resubscribeTimer = setTimeout(() => {
        if (!this.closed && this.subscriber.status === 'ready') this.subscribe();
      }, RESUBSCRIBE_DELAY_MS).unref();
    });
  }

  private receive(channel: string, raw: string): void {
    if (channel !== this.channel) return;
    let message: InvalidationMessage;
    try {
      message = JSON.parse(raw) as InvalidationMessage;
    } catch {
      return;
    }
    if (message.i === this.instanceId || typeof message.c !== 'string' || !Array.isArray(message.k)) return;
    this.onRemoteInvalidation(message.c, message.k);
  }
}
