import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { CouponRedemptions } from '../../src/modules/promotions/application/redemptions/coupon-redemptions.js';
import { CouponCode } from '../../src/modules/promotions/domain/coupon-code.value-object.js';
import { percentOff } from '../../src/modules/promotions/domain/coupon-discount.js';
import { Coupon } from '../../src/modules/promotions/domain/coupon.aggregate.js';
import { CouponRepository } from '../../src/modules/promotions/domain/coupon.repository.js';
import { UnitOfWork } from '../../src/shared/application/unit-of-work.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { describeProfile, testProfile } from '../support/test-profile.js';

interface Counters {
  redemptions: number;
  pending: number;
  reserved: number;
  redeemed: number;
  refused: number;
  released: number;
}

/**
 * Redemption counting against the real wiring (unit of work, row locks, outbox) on the test profile's database.
 * Only MariaDB runs the transactions side by side (sql.js runs one at a time), which is where the coupon's row
 * lock and the locking per-customer count are proven; both profiles run every case.
 */
describe(describeProfile('promotions: redemptions under concurrency'), () => {
  let testApp: TestApp;
  let redemptions: CouponRedemptions;
  let coupons: CouponRepository;
  let unitOfWork: UnitOfWork;
  let dataSource: DataSource;

  beforeAll(async () => {
    // As in the inventory test: 100 callers at once queue for the pool far longer than the relay would let them.
    testApp = await createTestApp({ DB_POOL_SIZE: '20', DB_POOL_ACQUIRE_TIMEOUT: '30s' });
    redemptions = testApp.app.get(CouponRedemptions);
    coupons = testApp.app.get(CouponRepository);
    unitOfWork = testApp.app.get(UnitOfWork);
    dataSource = testApp.app.get(DataSource);
  });
  afterAll(() => testApp.close());

  async function newCoupon(maxRedemptions: number | undefined, maxRedemptionsPerUser: number): Promise<Coupon> {
    const coupon = Coupon.create({
      id: uuidv7(),
      code: CouponCode.create(`T-${uuidv7().slice(-12)}`),
      terms: {
        discount: percentOff(10),
        minSubtotal: undefined,
        validFrom: undefined,
        validUntil: undefined,
        maxRedemptions,
        maxRedemptionsPerUser,
      },
      now: new Date(),
    });
    await unitOfWork.run(() => coupons.save(coupon));
    return coupon;
  }

  async function countersOf(coupon: Coupon): Promise<Counters> {
    const [row] = await dataSource.query<Record<string, number | string>[]>(
      'SELECT redemptions, pending_redemptions AS pending FROM coupons WHERE id = ?',
      [coupon.id],
    );
    const statuses = await dataSource.query<{ status: string; n: number | string }[]>(
      'SELECT status, COUNT(*) AS n FROM coupon_redemptions WHERE coupon_id = ? GROUP BY status',
      [coupon.id],
    );
    const count = (status: string) => Number(statuses.find((entry) => entry.status === status)?.n ?? 0);
    return {
      redemptions: Number(row?.redemptions),
      pending: Number(row?.pending),
      reserved: count('reserved'),
      redeemed: count('redeemed'),
      refused: count('refused'),
      released: count('released'),
    };
  }

  const reserve = (coupon: Coupon, userId: string, orderId = uuidv7()) =>
    redemptions.reserve({ orderId, userId, code: coupon.codeValue }).then(() => orderId);

  it('100 concurrent orders from 50 customers for a coupon limited to 10: exactly 10 reserved', async () => {
    const coupon = await newCoupon(10, 5);
    const users = Array.from({ length: 50 }, () => uuidv7());
    const started = performance.now();
    await Promise.all(Array.from({ length: 100 }, (_, index) => reserve(coupon, users[index % 50])));
    const elapsedMs = performance.now() - started;
    expect(await countersOf(coupon)).toEqual({
      redemptions: 0,
      pending: 10,
      reserved: 10,
      redeemed: 0,
      refused: 90,
      released: 0,
    });
    console.info(
      `[promotions] ${testProfile().kind}: 100 concurrent redemptions of a 10-use coupon in ${elapsedMs.toFixed(0)} ms`,
    );
  });

  // Bites on MariaDB: with a plain (snapshot) read for the per-customer count instead of a locking one, all 10 were
  // reserved — each transaction's snapshot predated the coupon lock it waited for.
  it('10 concurrent orders of one customer against maxRedemptionsPerUser 1: exactly 1 reserved', async () => {
    const coupon = await newCoupon(undefined, 1);
    const user = uuidv7();
    await Promise.all(Array.from({ length: 10 }, () => reserve(coupon, user)));
    expect(await countersOf(coupon)).toMatchObject({ pending: 1, reserved: 1, refused: 9 });
    // Another customer is not held back by the first one's limit.
    await reserve(coupon, uuidv7());
    expect(await countersOf(coupon)).toMatchObject({ pending: 2, reserved: 2 });
  });

  it('the same order delivered 10 times at once holds one redemption', async () => {
    const coupon = await newCoupon(5, 5);
    const orderId = uuidv7();
    const user = uuidv7();
    await Promise.all(Array.from({ length: 10 }, () => reserve(coupon, user, orderId)));
    expect(await countersOf(coupon)).toMatchObject({ pending: 1, reserved: 1, refused: 0 });
  });

  it('confirms and releases once each, concurrently with new reservations, and the counters match the rows', async () => {
    const coupon = await newCoupon(20, 100);
    const user = uuidv7();
    const first = await Promise.all(Array.from({ length: 20 }, () => reserve(coupon, user)));
    expect(await countersOf(coupon)).toMatchObject({ pending: 20, refused: 0 });
    // Confirm 10 (twice each, as a re-delivery would), release the other 10 (also twice), while 30 new orders try.
    await Promise.all([
      ...first.slice(0, 10).flatMap((orderId) => [redemptions.confirm(orderId), redemptions.confirm(orderId)]),
      ...first.slice(10).flatMap((orderId) => [redemptions.release(orderId), redemptions.release(orderId)]),
      ...Array.from({ length: 30 }, () => reserve(coupon, user)),
    ]);
    const counters = await countersOf(coupon);
    expect(counters.redemptions).toBe(10);
    expect(counters.redeemed).toBe(10);
    expect(counters.released).toBe(10);
    // What the counters say is what the rows say, and never more than the limit is held.
    expect(counters.pending).toBe(counters.reserved);
    expect(counters.redemptions + counters.pending).toBeLessThanOrEqual(20);
    expect(counters.reserved + counters.refused).toBe(30);
    // A confirmed redemption released (order cancelled after confirmation) goes back to the coupon.
    await redemptions.release(first[0]);
    expect(await countersOf(coupon)).toMatchObject({ redemptions: 9, redeemed: 9, released: 11 });
  });

  it('a released redemption makes room for the next order', async () => {
    const coupon = await newCoupon(1, 1);
    const holder = await reserve(coupon, uuidv7());
    await reserve(coupon, uuidv7());
    expect(await countersOf(coupon)).toMatchObject({ pending: 1, refused: 1 });
    await redemptions.release(holder);
    await reserve(coupon, uuidv7());
    expect(await countersOf(coupon)).toMatchObject({ pending: 1, reserved: 1, released: 1, refused: 1 });
  });
});
