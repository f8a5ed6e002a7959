import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { SkipAfterFailure, type RedisGuard } from './redis-guard.js';

/** What a Redis read answers when the tier cannot be used; the caller falls through to its loader. */
export const UNAVAILABLE = Symbol('redis unavailable');

/** How often failed invalidations are retried while Redis is reachable again but they are still pending. */
const RETRY_INTERVAL_MS = 1_000;
/** Beyond this many failed invalidations, recovery empties the whole cache namespace instead. */
const MAX_PENDING_INVALIDATIONS = 10_000;

/**
 * The shared tier: plain GET / SET PX / DEL on the application's Redis connection, never waiting for a connection
 * (`status !== 'ready'` is answered at once) or calling through an open guard (circuit breaker), never throwing.
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
  private retryTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly onReady = () => void this.flushPending();

  constructor(
    private readonly client: Redis,
    /** `orderly:cache:` — every key this tier writes starts with it. */
    readonly namespace: string,
    private readonly guard: RedisGuard = new SkipAfterFailure(),
  ) {
    client.on('ready', this.onReady);
  }

  usable(): boolean {
    return this.client.status === 'ready' && !this.guard.isOpen;
  }

  async read(key: string): Promise<string | null | typeof UNAVAILABLE> {
    if (!this.usable() || (this.pending.size > 0 && this.pending.has(key)) || this.purgeOnRecovery) return UNAVAILABLE;
    try {
      return await this.guard.run(() => this.client.get(key));
    } catch {
      return UNAVAILABLE;
    }
  }

  /** Best effort, not awaited by readers: a lost write only costs a later miss. */
  write(key: string, json: string, ttlMs: number): void {
    if (!this.usable()) return;
    this.guard.run(() => this.client.set(key, json, 'PX', ttlMs)).catch(() => undefined);
  }

  /** Resolves once the keys are gone from Redis, or remembered for a retry when Redis cannot be reached. */
  async remove(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    if (this.usable()) {
      try {
        await this.guard.run(() => this.client.del(...keys));
        return;
      } catch {
        // remembered below
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

  /** Straight to the client, past the guard: once a second at most, it is the probe that finds Redis back. */
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
      if (this.pending.size === 0 && !this.purgeOnRecovery) {
        clearInterval(this.retryTimer);
        this.retryTimer = undefined;
      }
    } catch {
      // still pending: the next 'ready' or tick tries again
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
