import { BusinessRuleViolation } from '../../../shared/domain/domain-error.js';
import type { OrderStatus } from './order-status.js';

/** 42204: the state machine does not allow this move (cancelling twice, shipping an unpaid order, …). */
export class InvalidOrderTransitionError extends BusinessRuleViolation {
  readonly code = 42204;

  constructor(from: OrderStatus, to: OrderStatus) {
    super(`An order that is ${from} cannot become ${to}`);
  }
}
