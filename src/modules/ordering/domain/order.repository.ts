import type { Order } from './order.aggregate.js';

/** Orders and their lines. Writes join the caller's unit of work. */
export abstract class OrderRepository {
  /**
   * The order, locked until the transaction ends (MySQL `FOR UPDATE`): the saga, the timers, a cancel and an
   * admin act on an order one after the other, each on what the previous one left. undefined when unknown.
   */
  abstract lock(orderId: string): Promise<Order | undefined>;
  abstract save(order: Order): Promise<void>;
  /** Ids of orders whose deadline is at or before `now`, earliest first (the timers' work list). */
  abstract findOverdue(now: Date, limit: number): Promise<string[]>;
}
