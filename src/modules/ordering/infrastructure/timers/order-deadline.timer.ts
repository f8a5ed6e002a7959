import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Clock } from '../../../../shared/application/clock.js';
import { LapseOrderCommand } from '../../application/commands/lapse-order/lapse-order.command.js';
import { OrderingSettings } from '../../application/ordering-settings.js';
import { OrderRepository } from '../../domain/order.repository.js';

const BATCH = 100;
const MAX_BACKOFF_MS = 10_000;

/**
 * The order timers (SPEC §3/§4): no order hangs in PENDING past ORDER_CONFIRMATION_TIMEOUT, and no CONFIRMED
 * order stays unpaid past ORDER_PAYMENT_TIMEOUT (+ one sweep interval, far inside SPEC §4a's 10 s).
 *
 * Durable and safe with several instances by construction: the deadline is a column of the order (indexed), so a
 * restart loses nothing — the first sweep runs at start-up; each instance sweeps the same work list, and each
 * order lapses in a transaction that locks it first, so a second instance finds it already moved on.
 * While the database is down the sweeps back off (one warning per outage) and resume by themselves.
 */
@Injectable()
export class OrderDeadlineTimer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OrderDeadlineTimer');
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<unknown> | undefined;
  private stopped = true;
  private failures = 0;

  constructor(
    private readonly orders: OrderRepository,
    private readonly commands: CommandBus,
    private readonly clock: Clock,
    private readonly settings: OrderingSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** SIGTERM: no new sweep; the one running finishes (each order's lapse is its own short transaction). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.sweeping;
  }

  /** Lapses every order whose deadline has passed; answers how many changed. Also used by tests. */
  async sweep(): Promise<number> {
    let lapsed = 0;
    for (;;) {
      const due = await this.orders.findOverdue(this.clock.now(), BATCH);
      for (const orderId of due) {
        if (this.stopped && this.sweeping !== undefined) return lapsed;
        try {
          if (await this.commands.execute<LapseOrderCommand, boolean>(new LapseOrderCommand(orderId))) lapsed += 1;
        } catch (error) {
          // One order failing (a conflict, a lock wait) must not hold up the others: it is due again next sweep.
          this.logger.warn({ msg: 'order lapse failed; retried next sweep', orderId, err: error });
        }
      }
      if (due.length < BATCH) return lapsed;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.sweeping = this.sweep()
        .then(() => {
          if (this.failures > 0) this.logger.log('order timers resumed');
          this.failures = 0;
        })
        .catch((error: unknown) => {
          if (this.failures === 0) this.logger.warn({ msg: 'order timers paused: database unavailable', err: error });
          this.failures += 1;
        })
        .finally(() => {
          this.sweeping = undefined;
          const backoff = Math.min(MAX_BACKOFF_MS, this.settings.sweepEveryMs * 2 ** this.failures);
          this.schedule(this.failures === 0 ? this.settings.sweepEveryMs : backoff);
        });
    }, delayMs);
    this.timer.unref();
  }
}
