import type { IntegrationEvent } from '../../../shared/application/integration-event.js';

/**
 * What other contexts (and consumers of the broker) may rely on about catalog's events: the type names and the
 * payload of each version. Every event carries the product's full public state after the change, so a subscriber
 * can keep its own copy without calling back. A breaking change is a new version published beside the old one.
 */
export const CATALOG_EVENT_TYPES = {
  productCreated: 'catalog.product_created',
  productChanged: 'catalog.product_changed',
  productArchived: 'catalog.product_archived',
} as const;

export type CatalogProductStatus = 'active' | 'archived';

/** The state of a product after the change (version 1 of all three payloads). */
export interface CatalogProductPayload {
  readonly productId: string;
  readonly sku: string;
  readonly name: string;
  readonly price: { readonly amount: number; readonly currency: string };
  readonly status: CatalogProductStatus;
  readonly version: number;
}

export interface CatalogEventPayloads {
  'catalog.product_created': CatalogProductPayload;
  'catalog.product_changed': CatalogProductPayload;
  'catalog.product_archived': CatalogProductPayload;
}

export type CatalogEventType = keyof CatalogEventPayloads;

export type CatalogEvent<TType extends CatalogEventType> = IntegrationEvent<CatalogEventPayloads[TType], TType>;

export const CATALOG_EVENT_VERSIONS: Readonly<Record<CatalogEventType, number>> = {
  'catalog.product_created': 1,
  'catalog.product_changed': 1,
  'catalog.product_archived': 1,
};
