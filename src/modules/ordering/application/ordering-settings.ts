/** What ordering needs from the configuration (bound in ordering.module.ts), so handlers never read AppConfig. */
export abstract class OrderingSettings {
  /** CURRENCY: every price and total is in it. */
  abstract readonly currency: string;
  /** ORDER_CONFIRMATION_TIMEOUT: a PENDING order older than this is rejected with `timeout`. */
  abstract readonly confirmWithinMs: number;
  /** ORDER_PAYMENT_TIMEOUT: a CONFIRMED order unpaid for this long expires. */
  abstract readonly payWithinMs: number;
  /** How often the timers look for orders past their deadline (a fraction of the shorter timeout, at most 1 s). */
  abstract readonly sweepEveryMs: number;
}
