/** What promotions needs from the configuration (bound in promotions.module.ts), so handlers never read AppConfig. */
export abstract class PromotionsSettings {
  /** The shop's one currency (CURRENCY): fixed discounts and minimum subtotals are in it. */
  abstract readonly currency: string;
}
