export {
  CATALOG_EVENT_TYPES,
  CATALOG_EVENT_VERSIONS,
  type CatalogEvent,
  type CatalogEventPayloads,
  type CatalogEventType,
  type CatalogProductPayload,
  type CatalogProductStatus,
} from './catalog.integration-events.js';
export { ProductCatalog, type CatalogProduct } from './product-catalog.js';
