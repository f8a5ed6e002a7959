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
import { CouponQuotes } from '../../../../promotions/contracts/index.js';
import { lineTotal, type OrderLine } from '../../../domain/order-line.js';
import { Order } from '../../../domain/order.aggregate.js';
import { OrderRepository } from '../../../domain/order.repository.js';
import { toOrderView, type OrderView } from '../../order-view.js';
import { OrderingSettings } from '../../ordering-settings.js';
import { SagaBacklog } from '../../ports/saga-backlog.js';
import { PlaceOrderCommand } from './place-order.command.js';

/** What `prepare` found out before the transaction: the priced lines and the coupon's quote, if any. */
export interface PricedOrder {
  readonly lines: readonly OrderLine[];
  readonly coupon: { readonly code: string; readonly discount: Money } | undefined;
}

/**
 * Places an order as PENDING with the prices the catalog has now and the discount promotions quotes for its
 * coupon; the saga (inventory reserving the lines, promotions a redemption, through the outbox) decides it
 * afterwards. Both contracts are asked in `prepare`, outside the transaction — prices are a cache hit — and the
 * answers are captured on the order: a later price or coupon change never alters a placed order. A coupon that
 * cannot apply is 42205 before anything is written. While the saga lags too far behind (SagaBacklog), new orders
 * are refused with 503 instead.
 */
@CommandHandler(PlaceOrderCommand)
export class PlaceOrderHandler implements TransactionalCommandHandler<PlaceOrderCommand, OrderView, PricedOrder> {
  constructor(
    private readonly orders: OrderRepository,
    private readonly catalog: ProductCatalog,
    private readonly settings: OrderingSettings,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly backlog: SagaBacklog,
    private readonly coupons: CouponQuotes,
  ) {}

  async prepare(command: PlaceOrderCommand): Promise<PricedOrder> {
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
    return { lines, coupon: await this.quote(command, lines) };
  }

  async execute(command: PlaceOrderCommand, priced: PricedOrder): Promise<OrderView> {
    const order = Order.place({
      id: this.ids.next(),
      userId: command.userId,
      lines: priced.lines,
      currency: this.settings.currency,
      now: this.clock.now(),
      confirmWithinMs: this.settings.confirmWithinMs,
      coupon: priced.coupon,
    });
    await this.orders.save(order);
    return toOrderView(order.snapshot());
  }

  private async quote(command: PlaceOrderCommand, lines: readonly OrderLine[]): Promise<PricedOrder['coupon']> {
    if (command.couponCode === undefined) return undefined;
    const subtotal = lines.reduce((sum, line) => sum.add(lineTotal(line)), Money.zero(this.settings.currency));
    const quote = await this.coupons.quote({
      code: command.couponCode,
      userId: command.userId,
      subtotal: subtotal.toJSON(),
    });
    return { code: quote.code, discount: Money.of(quote.discount.amount, quote.discount.currency) };
  }
}
