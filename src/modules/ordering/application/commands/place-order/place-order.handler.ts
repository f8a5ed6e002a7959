import { CommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import { IdGenerator } from '../../../../../shared/application/id-generator.js';
import type { TransactionalCommandHandler } from '../../../../../shared/application/transactional-command-handler.js';
import {
  TemporarilyUnavailableError,
  ValidationFailedError,
  type FieldViolation,
} from '../../../../../shared/domain/domain-error.js';
import { Money } from '../../../../../shared/domain/money.js';
import { ProductCatalog } from '../../../../catalog/contracts/product-catalog.js';
import type { OrderLine } from '../../../domain/order-line.js';
import { Order } from '../../../domain/order.aggregate.js';
import { OrderRepository } from '../../../domain/order.repository.js';
import { toOrderView, type OrderView } from '../../order-view.js';
import { OrderingSettings } from '../../ordering-settings.js';
import { SagaBacklog } from '../../ports/saga-backlog.js';
import { PlaceOrderCommand } from './place-order.command.js';

/**
 * Places an order as PENDING with the prices the catalog has now; the saga (inventory reserving the lines, through
 * the outbox) decides it afterwards. Prices come from catalog's contract in `prepare` — a cache hit, outside the
 * transaction — and are captured on the lines: a later price change never alters a placed order. While the saga
 * lags too far behind (SagaBacklog), new orders are refused with 503 instead.
 */
@CommandHandler(PlaceOrderCommand)
export class PlaceOrderHandler implements TransactionalCommandHandler<PlaceOrderCommand, OrderView, OrderLine[]> {
  constructor(
    private readonly orders: OrderRepository,
    private readonly catalog: ProductCatalog,
    private readonly settings: OrderingSettings,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly backlog: SagaBacklog,
  ) {}

  async prepare(command: PlaceOrderCommand): Promise<OrderLine[]> {
    // Load shedding: an order accepted while the oldest PENDING order has waited half the confirmation timeout would
    // likely be rejected as `timeout` — refuse it now (503, Retry-After) rather than accept work that cannot finish.
    if (this.backlog.lagMs() > this.settings.confirmWithinMs / 2) {
      throw new TemporarilyUnavailableError('Orders are paused for a moment while earlier ones are confirmed');
    }
    const products = await this.catalog.findMany(command.lines.map((line) => line.productId));
    const violations: FieldViolation[] = [];
    const lines = command.lines.map((line, index): OrderLine => {
      const product = products.get(line.productId);
      if (product === undefined) {
        violations.push({ field: `lines[${index}].productId`, message: 'is not a product of the catalog' });
      } else if (product.status !== 'active') {
        violations.push({ field: `lines[${index}].productId`, message: 'is archived and can no longer be ordered' });
      }
      const price = product?.price ?? { amount: 0, currency: this.settings.currency };
      return { productId: line.productId, quantity: line.quantity, unitPrice: Money.of(price.amount, price.currency) };
    });
    if (violations.length > 0) throw new ValidationFailedError(violations);
    return lines;
  }

  async execute(command: PlaceOrderCommand, lines: OrderLine[]): Promise<OrderView> {
    const order = Order.place({
      id: this.ids.next(),
      userId: command.userId,
      lines,
      currency: this.settings.currency,
      now: this.clock.now(),
      confirmWithinMs: this.settings.confirmWithinMs,
    });
    await this.orders.save(order);
    return toOrderView(order.snapshot());
  }
}
