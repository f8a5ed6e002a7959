import type { DataSource } from 'typeorm';
import type { LoadOutcome, WriteLoadOptions } from './write-load.js';

/** POST /api/v1/auth/login for a bootstrapped admin (ADMIN_EMAIL/ADMIN_PASSWORD); answers the bearer header. */
export async function adminHeaders(base: string, email: string, password: string): Promise<Record<string, string>> {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (login.status !== 200) throw new Error(`admin login failed: ${login.status} ${await login.text()}`);
  const token = ((await login.json()) as { data: { accessToken: string } }).data.accessToken;
  return { authorization: `Bearer ${token}` };
}

/** Creates a product and answers its id. */
export async function createProduct(base: string, headers: Record<string, string>, sku: string): Promise<string> {
  const created = await fetch(`${base}/api/v1/products`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ sku, name: `Load test ${sku}`, price: { amount: 100, currency: 'EUR' } }),
  });
  if (created.status !== 201) throw new Error(`product creation failed: ${created.status} ${await created.text()}`);
  return ((await created.json()) as { data: { id: string } }).data.id;
}

const PRODUCT = 'product:';
const STOCK = 'stock:';

/**
 * The write load of the fault and shutdown tests: even requests create a product (`<prefix>-<n>` as SKU: a row and
 * a `catalog.product_created` event), odd ones add one unit to `stockProductId` (`<prefix>-<n>` as the movement's
 * reason: contention on one stock row). Both leave something a test can look up for every 2xx answer.
 */
export function catalogWrites(
  base: string,
  headers: Record<string, string>,
  prefix: string,
  stockProductId: string,
): WriteLoadOptions['next'] {
  return (n) => {
    const key = `${prefix}-${n}`.toUpperCase();
    return n % 2 === 0
      ? {
          key: `${PRODUCT}${key}`,
          request: {
            url: `${base}/api/v1/products`,
            headers,
            body: { sku: key, name: `Load test ${n}`, price: { amount: 100 + n, currency: 'EUR' } },
          },
        }
      : {
          key: `${STOCK}${key}`,
          request: {
            url: `${base}/api/v1/products/${stockProductId}/stock-adjustments`,
            headers,
            body: { delta: 1, reason: key },
          },
        };
  };
}

const is2xx = (outcome: LoadOutcome) => outcome.status >= 200 && outcome.status < 300;

/** SKUs of the products whose creation was answered 2xx. */
export function createdSkus(outcomes: readonly LoadOutcome[]): string[] {
  return outcomes.filter((o) => is2xx(o) && o.key.startsWith(PRODUCT)).map((o) => o.key.slice(PRODUCT.length));
}

/** Reasons of the stock adjustments answered 2xx. */
export function adjustmentReasons(outcomes: readonly LoadOutcome[]): string[] {
  return outcomes.filter((o) => is2xx(o) && o.key.startsWith(STOCK)).map((o) => o.key.slice(STOCK.length));
}

export interface StoredWrites {
  readonly productsAnswered2xx: number;
  readonly adjustmentsAnswered2xx: number;
  /** 2xx answers whose write is not in the database: must be empty. */
  readonly lostProducts: string[];
  readonly lostAdjustments: string[];
  /** The stock's on_hand and its number of movements (equal, and ≥ the 2xx adjustments). */
  readonly onHand: number;
  readonly movements: number;
  /** Stored products by SKU → id, for looking up their events. */
  readonly productIds: Map<string, string>;
  /** Outbox rows of the stored products' `catalog.product_created` events, delivered in process or not yet. */
  readonly events: { readonly rows: number; readonly delivered: number; readonly published: number };
}

/**
 * Looks every 2xx write of a catalog load up in the database (either profile, through a TypeORM data source).
 */
export async function storedWrites(
  dataSource: DataSource,
  outcomes: readonly LoadOutcome[],
  stockProductId: string,
): Promise<StoredWrites> {
  const skus = createdSkus(outcomes);
  const reasons = adjustmentReasons(outcomes);
  const placeholders = (count: number) => Array.from({ length: count }, () => '?').join(', ');
  const products: { id: string; sku: string }[] =
    skus.length === 0
      ? []
      : await dataSource.query(
          `SELECT id, sku FROM catalog_products WHERE sku IN (${placeholders(skus.length)})`,
          skus,
        );
  const productIds = new Map(products.map((row) => [row.sku, row.id]));
  const movements: { reason: string }[] = await dataSource.query(
    'SELECT reason FROM inventory_movements WHERE product_id = ?',
    [stockProductId],
  );
  const stored = new Set(movements.map((row) => row.reason));
  const stock: { on_hand: number }[] = await dataSource.query(
    'SELECT on_hand FROM inventory_stock WHERE product_id = ?',
    [stockProductId],
  );
  const ids = [...productIds.values()];
  const events: { n_rows: number; n_delivered: number; n_published: number }[] =
    ids.length === 0
      ? []
      : await dataSource.query(
          `SELECT COUNT(*) AS n_rows, SUM(CASE WHEN delivered_at IS NULL THEN 0 ELSE 1 END) AS n_delivered,
                  SUM(CASE WHEN published_at IS NULL THEN 0 ELSE 1 END) AS n_published
             FROM outbox_events WHERE type = 'catalog.product_created' AND aggregate_id IN (${placeholders(ids.length)})`,
          ids,
        );
  return {
    productsAnswered2xx: skus.length,
    adjustmentsAnswered2xx: reasons.length,
    lostProducts: skus.filter((sku) => !productIds.has(sku)),
    lostAdjustments: reasons.filter((reason) => !stored.has(reason)),
    onHand: Number(stock[0]?.on_hand ?? 0),
    movements: movements.length,
    productIds,
    events: {
      rows: Number(events[0]?.n_rows ?? 0),
      delivered: Number(events[0]?.n_delivered ?? 0),
      published: Number(events[0]?.n_published ?? 0),
    },
  };
}
