import { Logger, type BeforeApplicationShutdown, type OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import type { RateLimitFailMode } from '../../config/app-config.js';
import type { CircuitBreaker } from '../resilience/circuit-breaker.js';
import { DependencyUnavailableError } from '../resilience/dependency-unavailable.error.js';
import type { RedisThrottlerStorage } from './redis-throttler.storage.js';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * How far the shared count may lag behind what one instance has let through, as a share of the limit, and its cap.
 * See `batchSizeFor`.
 */
export const RATE_LIMIT_TOLERANCE = 0.01;
export const MAX_BATCH = 64;
/** Keys with hits not yet in Redis are synced at least this often, however slowly they are hit. */
export const SYNC_INTERVAL_MS = 1_000;

/**
 * B, the most hits one instance counts for a key without Redis having them: ⌊1 % of the limit⌋, capped at 64, at
 * least 1. With B = 1 every hit is an atomic round trip (the exact path): limits below 200 per window — the auth and
 * password-attempt limits among them — are always counted exactly.
 *
 * The bound this buys (docs/PERFORMANCE.md, "Rate limiting"): in one window, N instances together admit at most
 * `limit + (N − 1) × B` requests of one client — at most 1 % over per additional instance, 64 for limits of
 * 6,400 and more — and exactly `limit` on a single instance.
 */
export function batchSizeFor(limit: number): number {
  return Math.max(1, Math.min(MAX_BATCH, Math.floor(limit * RATE_LIMIT_TOLERANCE)));
}

/**
 * INCRBY for a batch of hits, starting the window on the key's first hit; answers the shared count and what is
 * left of the window. Same keys and window semantics as RedisThrottlerStorage's INCR, so both count together.
 */
const INCREMENT_BY = `
local hits = redis.call('INCRBY', KEYS[1], ARGV[2])
if hits == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {hits, ttl}
`;

type IncrementBy = (key: string, ttl: number, hits: number) => Promise<[number, number]>;

/** One key's window as this instance knows it. */
interface KeyWindow {
  readonly key: string;
  readonly ttl: number;
  /** batchSizeFor(limit) */
  readonly batch: number;
  /** Local clock time the window ends (Redis' PTTL at the last sync, from the time of the answer). */
  endsAt: number;
  /** The shared count at the last sync: every instance's hits that Redis had then, ours included. */
  synced: number;
  /** Hits counted here and not yet sent. */
  pending: number;
  /** Hits sent in the flush under way. */
  inFlight: number;
  flushing: Promise<void> | undefined;
}

/**
 * @nestjs/throttler storage that counts in process and syncs with Redis in batches (SPEC §4 "Redis storage when
 * configured"; the library's guard still decides every request from what this answers).
 *
 * A key's first hit in a window is an atomic round trip (INCRBY 1): it learns the shared count and when the window
 * ends. After that, hits are counted here and decided on `shared count at the last sync + hits not yet in Redis`;
 * they go to Redis as one INCRBY when B of them are pending (the request that makes it B does not wait for it), or
 * at the latest SYNC_INTERVAL_MS later. A hit that would make more than B hits unconfirmed by Redis waits for the
 * flush under way, so an instance never runs more than B hits ahead of the shared count: that is the whole
 * cross-instance error (batchSizeFor). On one instance the count it decides on is always exact.
 *
 * Redis trouble: while the connection is not ready or the circuit breaker is open, and after a failed sync of a
 * key, hits take the exact path, whose RATE_LIMIT_FAIL_MODE applies as before (open: let through; closed: 503). The
 * hits a failed sync carried are not retried (they are at most B per key). Every call to Redis goes through the
 * breaker (when given): the exact path's, the syncs and the periodic pipeline count as one dependency.
 */
export class BatchedRedisThrottlerStorage
  implements ThrottlerStorage, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger(BatchedRedisThrottlerStorage.name);
  private readonly windows = new Map<string, KeyWindow>();
  private readonly incrementBy: IncrementBy;
  private readonly syncTimer: NodeJS.Timeout;
  private lastWarningAt = 0;

  constructor(
    private readonly exact: RedisThrottlerStorage,
    private readonly redis: Redis,
    private readonly failMode: RateLimitFailMode,
    private readonly now: () => number = Date.now,
    syncIntervalMs = SYNC_INTERVAL_MS,
    private readonly breaker?: CircuitBreaker,
  ) {
    this.redis.defineCommand('orderlyThrottleBy', { numberOfKeys: 1, lua: INCREMENT_BY });
    const client = this.redis as Redis & { orderlyThrottleBy: IncrementBy };
    this.incrementBy =
      breaker === undefined
        ? (key, ttl, hits) => client.orderlyThrottleBy(`throttle:${key}`, ttl, hits)
        : (key, ttl, hits) => breaker.run(() => client.orderlyThrottleBy(`throttle:${key}`, ttl, hits));
    this.syncTimer = setInterval(() => this.syncAll(), syncIntervalMs);
    this.syncTimer.unref();
  }

  increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const batch = batchSizeFor(limit);
    if (batch === 1 || this.redis.status !== 'ready' || this.breaker?.isOpen === true)
      return this.exact.increment(key, ttl, limit);
    const window = this.windows.get(key);
    const now = this.now();
    if (window === undefined || window.endsAt <= now || window.ttl !== ttl)
      return this.firstHit(key, ttl, limit, batch);
    if (window.pending + window.inFlight >= batch) return this.afterSync(window, key, ttl, limit);
    window.pending += 1;
    if (window.pending >= batch && window.flushing === undefined) void this.flush(window);
    return Promise.resolve(record(window.synced + window.inFlight + window.pending, window.endsAt - now, limit));
  }

  /** Hits this instance has counted and Redis does not have yet, over all keys (for tests and diagnostics). */
  unsyncedHits(): number {
    let total = 0;
    for (const window of this.windows.values()) total += window.pending + window.inFlight;
    return total;
  }

  /** Sends every pending count now (one pipeline) and waits for the answers. */
  async syncNow(): Promise<void> {
    // A second round for hits that arrived during the first one's syncs.
    for (let round = 0; round < 2; round++) {
      this.syncAll();
      await Promise.all([...this.windows.values()].map((window) => window.flushing ?? Promise.resolve()));
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Requests may still be in flight: what they count after this is lost, at most B per key.
    if (this.redis.status === 'ready') await this.syncNow().catch(() => undefined);
  }

  onApplicationShutdown(): void {
    clearInterval(this.syncTimer);
    this.breaker?.shutdown();
  }

  /** A key's first hit in a window (or the first after a failed sync): one atomic round trip. */
  private async firstHit(key: string, ttl: number, limit: number, batch: number): Promise<ThrottlerStorageRecord> {
    let hits: number;
    let remainingMs: number;
    try {
      [hits, remainingMs] = await this.incrementBy(key, ttl, 1);
    } catch (error) {
      this.windows.delete(key);
      return this.unavailable(error, ttl);
    }
    const now = this.now();
    const current = this.windows.get(key);
    // Concurrent first hits each get their own exact answer; the window keeps the most recent shared count.
    if (current === undefined || current.endsAt <= now || current.ttl !== ttl) {
      this.windows.set(key, {
        key,
        ttl,
        batch,
        endsAt: now + remainingMs,
        synced: hits,
        pending: 0,
        inFlight: 0,
        flushing: undefined,
      });
    } else if (hits > current.synced) {
      current.synced = hits;
    }
    return record(hits, remainingMs, limit);
  }

  /** More than B hits would be unconfirmed: wait for the sync under way (or start one), then decide again. */
  private async afterSync(window: KeyWindow, key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    await (window.flushing ?? this.flush(window));
    return this.increment(key, ttl, limit);
  }

  /** Sends a key's pending hits as one INCRBY; one sync per key at a time. */
  private flush(window: KeyWindow): Promise<void> {
    if (window.flushing !== undefined) return window.flushing;
    if (window.pending === 0) return Promise.resolve();
    const sent = this.send(window);
    window.flushing = this.incrementBy(window.key, window.ttl, sent).then(
      (reply) => this.synced(window, reply),
      (error: unknown) => this.syncFailed(window, error),
    );
    return window.flushing;
  }

  /** The periodic sync of many keys: one pipeline, one write to Redis, one answer per key. */
  private flushMany(windows: readonly KeyWindow[]): void {
    const pipeline = this.redis.pipeline() as ReturnType<Redis['pipeline']> & {
      orderlyThrottleBy(key: string, ttl: number, hits: number): unknown;
    };
    for (const window of windows) pipeline.orderlyThrottleBy(`throttle:${window.key}`, window.ttl, this.send(window));
    const exec = () => pipeline.exec();
    const replies = (this.breaker === undefined ? exec() : this.breaker.run(exec)).then(
      (results) => results ?? [],
      (error: unknown) => windows.map(() => [error, null] as [unknown, unknown]),
    );
    windows.forEach((window, index) => {
      window.flushing = replies.then((results) => {
        const [error, reply] = results[index] ?? [new Error('no answer in the pipeline'), null];
        if (error !== null && error !== undefined) this.syncFailed(window, error);
        else this.synced(window, reply as [number, number]);
      });
    });
  }

  /** Moves a window's pending hits in flight; returns how many. */
  private send(window: KeyWindow): number {
    const sent = window.pending;
    window.pending = 0;
    window.inFlight = sent;
    return sent;
  }

  private synced(window: KeyWindow, [hits, remainingMs]: [number, number]): void {
    window.synced = hits;
    window.endsAt = this.now() + remainingMs;
    window.inFlight = 0;
    window.flushing = undefined;
    // B more hits may have arrived meanwhile: they go out now rather than at the next interval.
    if (window.pending >= window.batch) void this.flush(window);
  }

  private syncFailed(window: KeyWindow, error: unknown): void {
    window.inFlight = 0;
    window.flushing = undefined;
    // The next hit of this key takes the exact path (and its fail mode) and starts the window again.
    if (this.windows.get(window.key) === window) this.windows.delete(window.key);
    this.warn(error);
  }

  /** Periodic: sync keys with pending hits, forget windows that have ended. */
  private syncAll(): void {
    if (this.redis.status !== 'ready') return;
    const now = this.now();
    const due: KeyWindow[] = [];
    for (const [key, window] of this.windows) {
      if (window.endsAt <= now) {
        // Hits of an ended window are not carried into the next one.
        if (window.flushing === undefined) this.windows.delete(key);
      } else if (window.pending > 0 && window.flushing === undefined) {
        due.push(window);
      }
    }
    if (due.length === 1) void this.flush(due[0]);
    else if (due.length > 1) this.flushMany(due);
  }

  /** The exact path's answers when Redis cannot count: let through (open) or 503 50300 (closed). */
  private unavailable(error: unknown, ttl: number): ThrottlerStorageRecord {
    this.warn(error);
    if (this.failMode === 'closed') {
      throw new DependencyUnavailableError('redis', 'rate limiter unavailable', { cause: error });
    }
    return { totalHits: 0, timeToExpire: Math.ceil(ttl / 1000), isBlocked: false, timeToBlockExpire: 0 };
  }

  private warn(error: unknown): void {
    if (this.now() - this.lastWarningAt > 10_000) {
      this.lastWarningAt = this.now();
      this.logger.warn(`rate-limit sync with Redis failed (fail ${this.failMode}): ${(error as Error).message}`);
    }
  }
}

function record(totalHits: number, remainingMs: number, limit: number): ThrottlerStorageRecord {
  const seconds = Math.max(1, Math.ceil(remainingMs / 1000));
  const isBlocked = totalHits > limit;
  return { totalHits, timeToExpire: seconds, isBlocked, timeToBlockExpire: isBlocked ? seconds : 0 };
}
