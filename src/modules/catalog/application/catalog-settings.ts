/** What catalog needs from the configuration (bound in catalog.module.ts), so handlers never read AppConfig. */
export abstract class CatalogSettings {
  /** The shop's one currency (CURRENCY): every price is in it. */
  abstract readonly currency: string;
}
