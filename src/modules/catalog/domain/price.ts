import { ValidationFailedError } from '../../../shared/domain/domain-error.js';
import { Money } from '../../../shared/domain/money.js';

/**
 * A product's price: money in the shop's one currency (SPEC §4 Validation), never negative. Zero is allowed
 * (free samples); a price in another currency is a 400 on `price.currency`, not a conversion.
 */
export function checkPrice(amount: number, currency: string, shopCurrency: string, field = 'price'): Money {
  const price = Money.of(amount, currency, `${field}.amount`);
  if (price.currency !== shopCurrency) {
    throw ValidationFailedError.forField(`${field}.currency`, `must be ${shopCurrency}, the shop's currency`);
  }
  if (price.isNegative()) throw ValidationFailedError.forField(`${field}.amount`, 'must not be negative');
  return price;
}
