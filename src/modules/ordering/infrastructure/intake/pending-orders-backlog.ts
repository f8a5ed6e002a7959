import { Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../../../shared/application/clock.js';
import { SagaBacklog } from '../../application/ports/saga-backlog.js';
import { OrderOrmEntity } from '../persistence/order.orm-entity.js';

const SAMPLE_EVERY_MS = 250;

/**
 * The saga's backlog measured where it shows: the age of the oldest PENDING order, sampled every 250 ms so that
 * the check on `POST /orders` costs nothing. One indexed read: PENDING orders carry their confirmation deadline in
 * `deadline_at`, so the earliest deadline among them is the oldest order. Counting outbox rows instead would let any
 * stale event (another context's, a slow chain behind a failing handler) pause every order. While the database is
 * down the last sample stands (the requests fail on their own then).
 */
@Injectable()
export class PendingOrdersBacklog extends SagaBacklog implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private lag = 0;
  private sampling = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {
    super();
  }

  lagMs(): number {
    return this.lag;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sample(), SAMPLE_EVERY_MS);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
  }

  /** Takes a sample now (also used by tests). */
  async sample(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      const oldest = await this.dataSource
        .getRepository(OrderOrmEntity)
        .createQueryBuilder('o')
        .select(['o.id', 'o.createdAt'])
        .where('o.status = :pending', { pending: 'PENDING' })
        .orderBy('o.deadlineAt', 'ASC')
        .limit(1)
        .getOne();
      this.lag = oldest === null ? 0 : Math.max(0, this.clock.now().getTime() - oldest.createdAt.getTime());
    } catch {
      // The database is unreachable: readiness reports it; the last sample stands.
    } finally {
      this.sampling = false;
    }
  }
}
