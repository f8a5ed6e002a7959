import { promotionsFakes } from '../../../../../../test/support/fakes/promotions-fakes.js';
import { SequentialIdGenerator } from '../../../../../../test/support/fakes/sequential-id-generator.js';
import { ValidationFailedError } from '../../../../../shared/domain/domain-error.js';
import { Money } from '../../../../../shared/domain/money.js';
import { CouponCodeTakenError } from '../../../domain/promotions.errors.js';
import { CreateCouponCommand } from './create-coupon.command.js';
import { CreateCouponHandler } from './create-coupon.handler.js';

type Terms = CreateCouponCommand['terms'];

function setUp() {
  const fakes = promotionsFakes();
  const handler = new CreateCouponHandler(fakes.coupons, fakes.settings, fakes.ids, fakes.clock);
  const create = (code: string, terms: Partial<Terms> = {}) =>
    fakes.run(handler, new CreateCouponCommand(code, { discount: { percent: 10 }, ...terms }));
  return { ...fakes, create };
}

async function fieldsOf(attempt: Promise<unknown>): Promise<string[]> {
  const error = await attempt.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(ValidationFailedError);
  return (error as ValidationFailedError).violations.map((violation) => violation.field).sort();
}

describe('CreateCouponHandler', () => {
  it('creates an active coupon at version 1 with an upper-case code and defaults, and records CouponCreated', async () => {
    const { create, coupons, unitOfWork, clock } = setUp();
    const view = await create('  summer-10 ');
    expect(view).toEqual({
      id: SequentialIdGenerator.nth(1),
      code: 'SUMMER-10',
      discount: { percent: 10 },
      minSubtotal: null,
      validFrom: null,
      validUntil: null,
      maxRedemptions: null,
      maxRedemptionsPerUser: 1,
      status: 'active',
      redemptions: 0,
      pendingRedemptions: 0,
      createdAt: clock.now().toISOString(),
      updatedAt: clock.now().toISOString(),
      version: 1,
    });
    expect(coupons.stateOf(view.id)).toMatchObject({ code: 'SUMMER-10', version: 1 });
    expect(unitOfWork.published).toMatchObject([
      { type: 'promotions.coupon_created', aggregateId: view.id, snapshot: { code: 'SUMMER-10', version: 1 } },
    ]);
  });

  it('takes every optional term: an amount off, a minimum, a window (offsets normalised to UTC) and limits', async () => {
    const { create, coupons } = setUp();
    const view = await create('FIVE-OFF', {
      discount: { amount: { amount: 500, currency: 'EUR' } },
      minSubtotal: { amount: 0, currency: 'EUR' },
      validFrom: '2026-07-01T02:00:00+02:00',
      validUntil: '2026-07-31T23:59:59.999Z',
      maxRedemptions: 100,
      maxRedemptionsPerUser: 3,
    });
    expect(view).toMatchObject({
      discount: { amount: { amount: 500, currency: 'EUR' } },
      minSubtotal: { amount: 0, currency: 'EUR' },
      validFrom: '2026-07-01T00:00:00.000Z',
      validUntil: '2026-07-31T23:59:59.999Z',
      maxRedemptions: 100,
      maxRedemptionsPerUser: 3,
    });
    expect(coupons.stateOf(view.id)).toMatchObject({
      discount: { kind: 'amount', amount: Money.of(500, 'EUR') },
      minSubtotal: Money.of(0, 'EUR'),
      validFrom: new Date('2026-07-01T00:00:00.000Z'),
    });
  });

  it('lists every invalid field at once, by path, and stores nothing', async () => {
    const { create, coupons, unitOfWork } = setUp();
    const fields = await fieldsOf(
      create('no', {
        discount: { amount: { amount: 0, currency: 'USD' } },
        minSubtotal: { amount: -1, currency: 'EUR' },
        validFrom: '2026-02-30T00:00:00Z',
        validUntil: 'tomorrow',
        maxRedemptions: 0,
        maxRedemptionsPerUser: 1.5,
      }),
    );
    expect(fields).toEqual(
      [
        'code',
        'discount.amount.currency',
        'minSubtotal.amount',
        'validFrom',
        'validUntil',
        'maxRedemptions',
        'maxRedemptionsPerUser',
      ].sort(),
    );
    expect(coupons.rows.size).toBe(0);
    expect(unitOfWork.published).toEqual([]);
  });

  it('a discount needs exactly one of percent and amount: both or neither is 400 on discount', async () => {
    const { create } = setUp();
    expect(
      await fieldsOf(create('BOTH-1', { discount: { percent: 5, amount: { amount: 1, currency: 'EUR' } } })),
    ).toEqual(['discount']);
    expect(await fieldsOf(create('NEITHER-1', { discount: {} }))).toEqual(['discount']);
    expect(await fieldsOf(create('PCT-0', { discount: { percent: 0 } }))).toEqual(['discount.percent']);
    expect(await fieldsOf(create('PCT-101', { discount: { percent: 101 } }))).toEqual(['discount.percent']);
    expect(await fieldsOf(create('AMT-0', { discount: { amount: { amount: 0, currency: 'EUR' } } }))).toEqual([
      'discount.amount.amount',
    ]);
  });

  it('money of another currency than the shop’s is 400 on its currency', async () => {
    const { create } = setUp();
    expect(await fieldsOf(create('MIN-USD', { minSubtotal: { amount: 100, currency: 'USD' } }))).toEqual([
      'minSubtotal.currency',
    ]);
  });

  it('a window that ends before it starts is 400 on validUntil; an instant window is fine', async () => {
    const { create } = setUp();
    expect(
      await fieldsOf(create('WIN-1', { validFrom: '2026-07-02T00:00:00Z', validUntil: '2026-07-01T23:59:59Z' })),
    ).toEqual(['validUntil']);
    const instant = await create('WIN-2', { validFrom: '2026-07-02T00:00:00Z', validUntil: '2026-07-02T00:00:00Z' });
    expect(instant.validFrom).toBe(instant.validUntil);
  });

  it('refuses dates that are not real instants or outside four-digit years', async () => {
    const { create } = setUp();
    for (const raw of [
      '2026-02-29T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-01-01T24:00:00Z',
      '2026-01-01T00:00:00',
      '2026-01-01',
      '0999-12-31T23:59:59Z',
      '+275760-09-13T00:00:00Z',
      '2026-01-01T00:00:00+24:00',
    ]) {
      expect(await fieldsOf(create('DATE-1', { validFrom: raw })), raw).toEqual(['validFrom']);
    }
    expect((await create('LEAP-1', { validFrom: '2028-02-29T12:00:00Z' })).validFrom).toBe('2028-02-29T12:00:00.000Z');
  });

  it('a taken code, in any case, is CouponCodeTakenError (409 40900); the first coupon is untouched', async () => {
    const { create, coupons, unitOfWork } = setUp();
    const first = await create('WELCOME');
    const attempt = create('welcome', { discount: { percent: 50 } });
    await expect(attempt).rejects.toThrow(CouponCodeTakenError);
    await expect(attempt).rejects.toMatchObject({ code: 40900 });
    expect([...coupons.rows.keys()]).toEqual([first.id]);
    expect(coupons.stateOf(first.id)?.discount).toEqual({ kind: 'percent', percent: 10 });
    expect(unitOfWork.publishedTypes()).toEqual(['promotions.coupon_created']);
  });
});
