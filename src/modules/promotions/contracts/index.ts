export { CouponQuotes, type CouponQuote, type CouponQuoteRequest } from './coupon-quotes.js';
export {
  PROMOTIONS_EVENT_TYPES,
  PROMOTIONS_EVENT_VERSIONS,
  type CouponPayload,
  type PromotionsEvent,
  type PromotionsEventPayloads,
  type PromotionsEventType,
  type RedemptionPayload,
} from './promotions.integration-events.js';
