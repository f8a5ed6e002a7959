import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

/** What a Redis read answers when the tier cannot be used; the caller falls through to its loader. */
export const UNAVAILABLE = Symbol('redis unavailable');

/** After a failed command the tier is skipped this long, so a hung Redis costs one command timeout, not one per read. */
const SKIP_AFTER_FAILURE_MS = 1_000;
/** How often failed invalidations are retried while Redis is reachable again but they are still pending. */
const RETRY_INTERVAL_MS = 1_000;
/** Beyond this many failed invalidations, recovery empties the whole cache namespace instead. */
const MAX_PENDING_INVALIDATIONS = 10_000;

/**
 * The shared tier: plain GET / SET PX / DEL on the application's Redis connection, never waiting for a connection
 * (`status !== 'ready'` is answered at once) and never throwing.
 *
 * A DEL that fails (outage) would leave a stale value in Redis after recovery, visible to every instance until its
 * TTL. So failed invalidations are remembered and retried as soon as the client is ready again (and every second
 * while some are pending); until then this instance does not read those keys from Redis. Past
 * MAX_PENDING_INVALIDATIONS the list is replaced by "empty the namespace on recovery" (SCAN + UNLINK).
 */
export class RedisTier {
  private readonly logger = new Logger('CacheRedisTier');
  private readonly pending = new Set<string>();
  private purgeOnRecovery = false;
  private skipUntil = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly onReady = () => void this.flushPending();

  constructor(
    private readonly client: Redis,
    /** `orderly:cache:` — every key this tier writes starts with it. */
    readonly namespace: string,
  ) {
    client.on('ready', this.onReady);
  }

  usable(): boolean {
    return this.client.status === 'ready' && (this.skipUntil === 0 || Date.now() >= this.skipUntil);
  }

  async read(key: string): Promise<string | null | typeof UNAVAILABLE> {
    if (!this.usable() || (this.pending.size > 0 && this.pending.has(key)) || this.purgeOnRecovery) return UNAVAILABLE;
    try {
      const value = await this.client.get(key);
      this.skipUntil = 0;
      return value;
    } catch {
      this.failed();
      return UNAVAILABLE;
    }
  }

  /** Best effort, not awaited by readers: a lost write only costs a later miss. */
  write(key: string, json: string, ttlMs: number): void {
    if (!this.usable()) return;
    this.client.set(key, json, 'PX', ttlMs).catch(() => this.failed());
  }

  /** Resolves once the keys are gone from Redis, or remembered for a retry when Redis cannot be reached. */
  async remove(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    if (this.usable()) {
      try {
        await this.client.del(...keys);
        return;
      } catch {
        this.failed();
      }
    }
    this.remember(keys);
  }

  /** Best effort: other instances also follow within the local TTL. */
  publish(channel: string, message: string): void {
    if (this.client.status !== 'ready') return;
    this.client.publish(channel, message).catch(() => undefined);
  }

  close(): void {
    this.client.off('ready', this.onReady);
    clearInterval(this.retryTimer);
    this.retryTimer = undefined;
  }

  private failed(): void {
    this.skipUntil = Date.now() + SKIP_AFTER_FAILURE_MS;
  }

  private remember(keys: readonly string[]): void {
    if (!this.purgeOnRecovery) {
      for (const key of keys) this.pending.add(key);
      if (this.pending.size > MAX_PENDING_INVALIDATIONS) {
        this.logger.warn(
          `over ${MAX_PENDING_INVALIDATIONS} invalidations failed: the cache will be emptied on recovery`,
        );
        this.pending.clear();
        this.purgeOnRecovery = true;
      }
    }
    this.retryTimer ??= setInterval(() => void this.flushPending(), RETRY_INTERVAL_MS).unref();
  }

  private flushPending(): Promise<void> {
    if (this.pending.size === 0 && !this.purgeOnRecovery) return Promise.resolve();
    if (this.client.status !== 'ready') return Promise.resolve();
    this.flushing ??= this.flush().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async flush(): Promise<void> {
    try {
      if (this.purgeOnRecovery) {
        await this.purgeNamespace();
        this.purgeOnRecovery = false;
      }
      const keys = [...this.pending];
      if (keys.length > 0) await this.client.del(...keys);
      // Keys invalidated again while the DEL ran are in `pending` again only if that DEL failed too.
      for (const key of keys) this.pending.delete(key);
      this.skipUntil = 0;
      if (this.pending.size === 0 && !this.purgeOnRecovery) {
        clearInterval(this.retryTimer);
        this.retryTimer = undefined;
      }
    } catch {
      this.failed();
    }
  }

  private async purgeNamespace(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.client.scan(cursor, 'MATCH', `${this.namespace}*`, 'COUNT', 500);
      if (keys.length > 0) await this.client.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  }

  /** For tests and diagnostics: invalidations waiting for Redis. */
  get pendingInvalidations(): number {
    return this.pending.size;
  }
}
