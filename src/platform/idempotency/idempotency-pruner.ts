import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../../shared/application/clock.js';
import { UnitOfWork } from '../../shared/application/unit-of-work.js';
import { IdempotencySettings } from './idempotency-settings.js';
import { IdempotencyStore } from './idempotency-store.js';

/**
 * Deletes expired idempotency records every IdempotencySettings.pruneIntervalMs, in batches. Expired rows are
 * already ignored by the interceptor, so pruning is housekeeping: it never throws (a database outage is logged
 * and the next tick tries again), its timer never keeps the process alive, and it stops on shutdown.
 */
@Injectable()
export class IdempotencyPruner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('IdempotencyPruner');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = true;

  constructor(
    private readonly store: IdempotencyStore,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly settings: IdempotencySettings,
  ) {}

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.timer = setInterval(() => void this.pruneNow(), this.settings.pruneIntervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.running;
  }

  /** Deletes every record expired by now and returns how many; 0 when the database failed. A run in progress is joined. */
  pruneNow(): Promise<number> {
    this.running ??= this.prune().finally(() => (this.running = undefined));
    return this.running;
  }

  private async prune(): Promise<number> {
    const now = this.clock.now();
    let deleted = 0;
    try {
      for (;;) {
        // One short transaction per batch: few locks held at a time, and on SQLite the batch takes its turn
        // instead of running inside whichever request's transaction holds the single connection.
        const batch = await this.unitOfWork.run(() => this.store.pruneExpired(now, this.settings.pruneBatchSize));
        deleted += batch;
        if (batch < this.settings.pruneBatchSize || this.stopped) break;
      }
    } catch (error) {
      this.logger.warn({ msg: 'pruning expired idempotency records failed; the next run retries', err: error });
    }
    if (deleted > 0) this.logger.log({ msg: 'pruned expired idempotency records', deleted });
    return deleted;
  }
}
