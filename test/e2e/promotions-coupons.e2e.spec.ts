import { v7 as uuidv7 } from 'uuid';
import { ApiClient, type ApiResponse, type Session } from '../support/api-client.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { describeProfile } from '../support/test-profile.js';
import { waitFor } from '../support/wait-for.js';

interface Money {
  amount: number;
  currency: string;
}

interface CouponBody {
  id: string;
  code: string;
  discount: { percent: number } | { amount: Money };
  minSubtotal: Money | null;
  validFrom: string | null;
  validUntil: string | null;
  maxRedemptions: number | null;
  maxRedemptionsPerUser: number;
  status: 'active' | 'disabled';
  redemptions: number;
  pendingRedemptions: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

interface PageBody {
  items: CouponBody[];
  nextCursor: string | null;
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * A code unique per run (the server profile keeps one database for every run and every test file): 24 characters
 * of A–Z 0–9 -, lower-case so that tests also see it stored upper-case.
 */
function uniqueCode(label = 'c'): string {
  return `${label}-${uuidv7().replace(/-/g, '').slice(-20)}`.slice(0, 32);
}

/** The invalid fields an answer names, each once (a field may break several constraints), sorted. */
const fieldsOf = (response: ApiResponse<unknown>) =>
  [...new Set((response.body.errors ?? []).map((error) => error.field))].sort();

describe(describeProfile('promotions: coupons (admin)'), () => {
  let testApp: TestApp;
  let api: ApiClient;
  let admin: Session;
  let customer: Session;

  beforeAll(async () => {
    testApp = await createTestApp();
    api = new ApiClient(testApp);
    admin = await api.adminSession();
    customer = await api.newCustomer();
  });
  afterAll(() => testApp.close());

  function create(body: Record<string, unknown> = {}, token = admin.accessToken) {
    return api.call<CouponBody>('POST', '/api/v1/coupons', {
      token,
      body: { code: uniqueCode(), discount: { percent: 10 }, ...body },
    });
  }

  async function created(body: Record<string, unknown> = {}): Promise<CouponBody> {
    const response = await create(body);
    if (response.status !== 201) throw new Error(`create failed: ${response.raw.body}`);
    return response.body.data;
  }

  const get = (id: string, token = admin.accessToken) =>
    api.call<CouponBody>('GET', `/api/v1/coupons/${id}`, { token });
  const patch = (id: string, body: unknown, headers: Record<string, string> = {}, token = admin.accessToken) =>
    api.call<CouponBody>('PATCH', `/api/v1/coupons/${id}`, { token, body, headers });
  const remove = (id: string, headers: Record<string, string> = {}, token = admin.accessToken) =>
    api.call<CouponBody>('DELETE', `/api/v1/coupons/${id}`, { token, headers });
  const list = (query: string, token = admin.accessToken) =>
    api.call<PageBody>('GET', `/api/v1/coupons${query === '' ? '' : `?${query}`}`, { token });

  describe('every route', () => {
    it('POST creates: 201, the coupon in the envelope, ETag "1", code upper-case, defaults', async () => {
      const code = uniqueCode('summer');
      const response = await create({ code });
      expect(response.status, response.raw.body).toBe(201);
      expect(response.body.code).toBe(0);
      expect(response.headers.etag).toBe('"1"');
      expect(response.body.data).toEqual({
        id: expect.stringMatching(UUID_V7),
        code: code.toUpperCase(),
        discount: { percent: 10 },
        minSubtotal: null,
        validFrom: null,
        validUntil: null,
        maxRedemptions: null,
        maxRedemptionsPerUser: 1,
        status: 'active',
        redemptions: 0,
        pendingRedemptions: 0,
        createdAt: expect.stringMatching(ISO),
        updatedAt: response.body.data.createdAt,
        version: 1,
      });
    });

    it('POST takes every optional term (an amount off, minimum, window in any offset, limits)', async () => {
      const response = await create({
        discount: { amount: { amount: 500, currency: 'EUR' } },
        minSubtotal: { amount: 2000, currency: 'EUR' },
        validFrom: '2026-07-01T02:00:00+02:00',
        validUntil: '2026-07-31T23:59:59.5Z',
        maxRedemptions: 100,
        maxRedemptionsPerUser: 3,
      });
      expect(response.status, response.raw.body).toBe(201);
      expect(response.body.data).toMatchObject({
        discount: { amount: { amount: 500, currency: 'EUR' } },
        minSubtotal: { amount: 2000, currency: 'EUR' },
        validFrom: '2026-07-01T00:00:00.000Z',
        validUntil: '2026-07-31T23:59:59.500Z',
        maxRedemptions: 100,
        maxRedemptionsPerUser: 3,
      });
      expect((await get(response.body.data.id)).body.data).toEqual(response.body.data);
    });

    it('GET /coupons/:id: 200 with ETag "<version>"; unknown → 404 40400; malformed id → 400 on id', async () => {
      const coupon = await created();
      const response = await get(coupon.id);
      expect(response.status).toBe(200);
      expect(response.headers.etag).toBe('"1"');
      expect(response.body.data).toEqual(coupon);
      expect((await get(coupon.id.toUpperCase())).body.data).toEqual(coupon);

      const unknown = await get(uuidv7());
      expect([unknown.status, unknown.body.code, unknown.body.data]).toEqual([404, 40400, null]);
      const malformed = await get('not-a-uuid');
      expect([malformed.status, malformed.body.code]).toEqual([400, 40000]);
      expect(fieldsOf(malformed)).toEqual(['id']);
    });

    it('PATCH: 200 with the coupon, one version step, ETag of the new version; the code never changes', async () => {
      const coupon = await created({ maxRedemptions: 10 });
      const response = await patch(coupon.id, {
        discount: { amount: { amount: 250, currency: 'EUR' } },
        minSubtotal: { amount: 1000, currency: 'EUR' },
        validFrom: '2026-01-01T00:00:00Z',
        validUntil: '2026-12-31T23:59:59Z',
        maxRedemptions: 20,
        maxRedemptionsPerUser: 2,
      });
      expect(response.status, response.raw.body).toBe(200);
      expect(response.headers.etag).toBe('"2"');
      expect(response.body.data).toEqual({
        ...coupon,
        discount: { amount: { amount: 250, currency: 'EUR' } },
        minSubtotal: { amount: 1000, currency: 'EUR' },
        validFrom: '2026-01-01T00:00:00.000Z',
        validUntil: '2026-12-31T23:59:59.000Z',
        maxRedemptions: 20,
        maxRedemptionsPerUser: 2,
        updatedAt: expect.stringMatching(ISO),
        version: 2,
      });
      expect((await get(coupon.id)).body.data).toEqual(response.body.data);
    });

    it('PATCH with null clears minSubtotal, validFrom, validUntil and maxRedemptions', async () => {
      const coupon = await created({
        minSubtotal: { amount: 100, currency: 'EUR' },
        validFrom: '2026-01-01T00:00:00Z',
        validUntil: '2026-12-31T00:00:00Z',
        maxRedemptions: 5,
      });
      const partly = await patch(coupon.id, { validUntil: null, maxRedemptions: null });
      expect(partly.status, partly.raw.body).toBe(200);
      expect(partly.body.data).toMatchObject({
        minSubtotal: { amount: 100, currency: 'EUR' },
        validFrom: '2026-01-01T00:00:00.000Z',
        validUntil: null,
        maxRedemptions: null,
        version: 2,
      });
      const rest = await patch(coupon.id, { minSubtotal: null, validFrom: null });
      expect(rest.body.data).toMatchObject({ minSubtotal: null, validFrom: null, validUntil: null, version: 3 });
      expect((await get(coupon.id)).body.data).toEqual(rest.body.data);
    });

    it('PATCH that changes nothing keeps the version; an empty body too', async () => {
      const coupon = await created({ maxRedemptions: 5 });
      const same = await patch(coupon.id, { discount: { percent: 10 }, maxRedemptions: 5, status: 'active' });
      expect([same.status, same.body.data.version, same.headers.etag]).toEqual([200, 1, '"1"']);
      const empty = await patch(coupon.id, {});
      expect([empty.status, empty.body.data]).toEqual([200, coupon]);
    });

    it('DELETE disables (200, same shape as products): still readable and listed; again changes nothing', async () => {
      const coupon = await created();
      const disabled = await remove(coupon.id);
      expect(disabled.status).toBe(200);
      expect(disabled.headers.etag).toBe('"2"');
      expect(disabled.body.data).toEqual({
        ...coupon,
        status: 'disabled',
        updatedAt: expect.stringMatching(ISO),
        version: 2,
      });
      const byId = await get(coupon.id);
      expect([byId.status, byId.body.data.status, byId.body.data.version]).toEqual([200, 'disabled', 2]);
      const again = await remove(coupon.id);
      expect([again.status, again.body.data.status, again.body.data.version]).toEqual([200, 'disabled', 2]);
      const listed = await list('limit=100');
      expect(listed.body.data.items.find((item) => item.id === coupon.id)?.status).toBe('disabled');

      const restored = await patch(coupon.id, { status: 'active' });
      expect(restored.body.data).toMatchObject({ status: 'active', version: 3 });
      const viaPatch = await patch(coupon.id, { status: 'disabled' });
      expect(viaPatch.body.data).toMatchObject({ status: 'disabled', version: 4 });
    });

    it('PATCH and DELETE of an unknown coupon → 404 40400; a malformed id → 400 on id', async () => {
      const id = uuidv7();
      const patched = await patch(id, { maxRedemptions: 1 });
      expect([patched.status, patched.body.code]).toEqual([404, 40400]);
      const deleted = await remove(id);
      expect([deleted.status, deleted.body.code]).toEqual([404, 40400]);
      for (const response of [await patch('42', { maxRedemptions: 1 }), await remove('42')]) {
        expect([response.status, response.body.code, fieldsOf(response)]).toEqual([400, 40000, ['id']]);
      }
    });
  });

  describe('validation (400 40000, every field by path)', () => {
    it('POST lists every invalid field at once, nested ones by path, unknown properties too', async () => {
      const response = await create({
        code: 'no spaces!',
        discount: { percent: 0, amount: { amount: 0, currency: 'eur', rate: 1 } },
        minSubtotal: { amount: -1, currency: 'EUR' },
        validFrom: 'yesterday',
        validUntil: '2026-02-30T00:00:00Z',
        maxRedemptions: 0,
        maxRedemptionsPerUser: 'one',
        status: 'disabled',
      });
      expect([response.status, response.body.code]).toEqual([400, 40000]);
      expect(fieldsOf(response)).toEqual(
        [
          'code',
          'discount',
          'discount.percent',
          'discount.amount.amount',
          'discount.amount.currency',
          'discount.amount.rate',
          'minSubtotal.amount',
          'validFrom',
          'validUntil',
          'maxRedemptions',
          'maxRedemptionsPerUser',
          'status',
        ].sort(),
      );
    });

    it('POST with the required fields missing names each', async () => {
      const response = await api.call('POST', '/api/v1/coupons', { token: admin.accessToken, body: {} });
      expect([response.status, response.body.code]).toEqual([400, 40000]);
      expect(fieldsOf(response)).toEqual(['code', 'discount']);
    });

    it('a discount needs exactly one of percent and amount: both or neither → 400 on discount', async () => {
      const both = await create({ discount: { percent: 5, amount: { amount: 100, currency: 'EUR' } } });
      expect([both.status, both.body.code, fieldsOf(both)]).toEqual([400, 40000, ['discount']]);
      const neither = await create({ discount: {} });
      expect([neither.status, fieldsOf(neither)]).toEqual([400, ['discount']]);
      const notAnObject = await create({ discount: 10 });
      expect([notAnObject.status, fieldsOf(notAnObject)]).toEqual([400, ['discount']]);
      const list = await create({ discount: [] });
      expect([list.status, fieldsOf(list)]).toEqual([400, ['discount']]);
      for (const percent of [0, 101, 12.5, '10']) {
        const bad = await create({ discount: { percent } });
        expect([bad.status, fieldsOf(bad)], String(percent)).toEqual([400, ['discount.percent']]);
      }
      for (const percent of [1, 100]) expect((await create({ discount: { percent } })).status).toBe(201);
    });

    it('money must be of the shop currency; a discount amount must be positive, a minimum not negative', async () => {
      const currency = await create({
        discount: { amount: { amount: 100, currency: 'USD' } },
        minSubtotal: { amount: 100, currency: 'GBP' },
      });
      expect([currency.status, currency.body.code]).toEqual([400, 40000]);
      expect(fieldsOf(currency)).toEqual(['discount.amount.currency', 'minSubtotal.currency']);
      const zero = await create({ discount: { amount: { amount: 0, currency: 'EUR' } } });
      expect(fieldsOf(zero)).toEqual(['discount.amount.amount']);
      const free = await create({ minSubtotal: { amount: 0, currency: 'EUR' } });
      expect([free.status, free.body.data.minSubtotal]).toEqual([201, { amount: 0, currency: 'EUR' }]);
    });

    it('the code: 3–32 of A–Z 0–9 -, any case, surrounding blanks trimmed', async () => {
      for (const code of ['ab', 'a'.repeat(33), 'with space', 'ümlaut', 'under_score', '']) {
        const response = await create({ code });
        expect([response.status, fieldsOf(response)], code).toEqual([400, ['code']]);
      }
      const code = uniqueCode('trim');
      const trimmed = await create({ code: `  ${code}  ` });
      expect([trimmed.status, trimmed.body.data.code]).toEqual([201, code.toUpperCase()]);
    });

    it('validUntil before validFrom → 400 on validUntil (on POST, and on PATCH against the stored end)', async () => {
      const window = await create({ validFrom: '2026-07-02T00:00:00Z', validUntil: '2026-07-01T23:59:59Z' });
      expect([window.status, window.body.code, fieldsOf(window)]).toEqual([400, 40000, ['validUntil']]);
      const coupon = await created({ validFrom: '2026-07-01T00:00:00Z', validUntil: '2026-07-31T00:00:00Z' });
      const moved = await patch(coupon.id, { validFrom: '2026-08-01T00:00:00Z' });
      expect([moved.status, fieldsOf(moved)]).toEqual([400, ['validUntil']]);
      const both = await patch(coupon.id, { validFrom: '2026-08-01T00:00:00Z', validUntil: '2026-07-15T00:00:00Z' });
      expect([both.status, fieldsOf(both)]).toEqual([400, ['validUntil']]);
      expect((await get(coupon.id)).body.data).toEqual(coupon);
    });

    it('dates must be ISO-8601 date-times with an offset, and real instants', async () => {
      for (const validFrom of [
        '2026-07-01',
        '2026-07-01T00:00:00',
        '2026-02-29T00:00:00Z',
        '2026-07-01T24:00:00Z',
        '1 July 2026',
        '0999-01-01T00:00:00Z',
        1_780_000_000_000,
      ]) {
        const response = await create({ validFrom });
        expect([response.status, fieldsOf(response)], String(validFrom)).toEqual([400, ['validFrom']]);
      }
    });

    it('PATCH lists every invalid field and changes nothing; code, id and version are not accepted', async () => {
      const coupon = await created();
      const response = await patch(coupon.id, {
        code: 'NEW-CODE',
        discount: { percent: 5, amount: { amount: 1, currency: 'EUR' } },
        minSubtotal: { amount: 1.5, currency: 'EUR' },
        validUntil: 'soon',
        maxRedemptions: -1,
        maxRedemptionsPerUser: 0,
        status: 'deleted',
        id: uuidv7(),
        version: 9,
      });
      expect([response.status, response.body.code]).toEqual([400, 40000]);
      expect(fieldsOf(response)).toEqual(
        [
          'code',
          'discount',
          'minSubtotal.amount',
          'validUntil',
          'maxRedemptions',
          'maxRedemptionsPerUser',
          'status',
          'id',
          'version',
        ].sort(),
      );
      const codeOnly = await patch(coupon.id, { code: coupon.code });
      expect([codeOnly.status, codeOnly.body.code, fieldsOf(codeOnly)]).toEqual([400, 40000, ['code']]);
      expect((await get(coupon.id)).body.data).toEqual(coupon);
    });

    it('PATCH: null is only for the fields it clears', async () => {
      const coupon = await created();
      const nulls = await patch(coupon.id, { discount: null, maxRedemptionsPerUser: null, status: null });
      expect([nulls.status, nulls.body.code]).toEqual([400, 40000]);
      expect(fieldsOf(nulls)).toEqual(['discount', 'maxRedemptionsPerUser', 'status']);
      const nested = await patch(coupon.id, { discount: { percent: null, amount: { amount: 5, currency: 'EUR' } } });
      expect([nested.status, fieldsOf(nested)]).toEqual([400, ['discount.percent']]);
      const mixed = await patch(coupon.id, { maxRedemptions: null, minSubtotal: { amount: -5, currency: 'EUR' } });
      expect([mixed.status, fieldsOf(mixed)]).toEqual([400, ['minSubtotal.amount']]);
      expect((await get(coupon.id)).body.data).toEqual(coupon);
    });

    it('bodies that are not a JSON object → 400 40000; malformed JSON → 400 40001', async () => {
      const coupon = await created();
      for (const body of ['null', '[]', '42', '"text"', 'true']) {
        for (const [method, url] of [
          ['POST', '/api/v1/coupons'],
          ['PATCH', `/api/v1/coupons/${coupon.id}`],
        ] as const) {
          const response = await api.call(method, url, { token: admin.accessToken, body });
          expect([response.status, response.body.code], `${method} ${body}`).toEqual([400, 40000]);
        }
      }
      const malformed = await api.call('POST', '/api/v1/coupons', { token: admin.accessToken, body: '{"code":' });
      expect([malformed.status, malformed.body.code]).toEqual([400, 40001]);
    });
  });

  describe('roles', () => {
    const routes = (id: string) =>
      [
        ['POST', '/api/v1/coupons', { code: uniqueCode(), discount: { percent: 10 } }],
        ['GET', '/api/v1/coupons', undefined],
        ['GET', `/api/v1/coupons/${id}`, undefined],
        ['PATCH', `/api/v1/coupons/${id}`, { maxRedemptions: 1 }],
        ['DELETE', `/api/v1/coupons/${id}`, undefined],
      ] as const;

    it('anonymous → 401 40100 on every route', async () => {
      const coupon = await created();
      for (const [method, url, body] of routes(coupon.id)) {
        const response = await api.call(method, url, { body });
        expect([response.status, response.body.code], `${method} ${url}`).toEqual([401, 40100]);
      }
    });

    it('a customer → 403 40300 on every route, and nothing changes', async () => {
      const coupon = await created();
      for (const [method, url, body] of routes(coupon.id)) {
        const response = await api.call(method, url, { body, token: customer.accessToken });
        expect([response.status, response.body.code], `${method} ${url}`).toEqual([403, 40300]);
      }
      expect((await get(coupon.id)).body.data).toEqual(coupon);
    });
  });

  describe('ETag and If-Match', () => {
    it('a stale If-Match → 412 41200 and nothing changes; the current one → 200; absent → applies', async () => {
      const coupon = await created();
      const read = await get(coupon.id);
      const etag = read.headers.etag as string;
      expect(etag).toBe('"1"');

      const first = await patch(coupon.id, { maxRedemptions: 10 }, { 'if-match': etag });
      expect([first.status, first.headers.etag]).toEqual([200, '"2"']);

      const stale = await patch(coupon.id, { maxRedemptions: 20 }, { 'if-match': etag });
      expect([stale.status, stale.body.code, stale.body.data]).toEqual([412, 41200, null]);
      expect((await get(coupon.id)).body.data).toMatchObject({ maxRedemptions: 10, version: 2 });

      const several = await patch(coupon.id, { maxRedemptions: 30 }, { 'if-match': '"1", "2"' });
      expect([several.status, several.body.data.version]).toEqual([200, 3]);
      const absent = await patch(coupon.id, { maxRedemptions: 40 });
      expect([absent.status, absent.body.data.version, absent.body.data.maxRedemptions]).toEqual([200, 4, 40]);
    });

    it('a weak or malformed tag never matches (412); * applies', async () => {
      const coupon = await created();
      for (const tag of ['W/"1"', '1', 'garbage', '""']) {
        const response = await patch(coupon.id, { maxRedemptions: 3 }, { 'if-match': tag });
        expect([response.status, response.body.code], tag).toEqual([412, 41200]);
      }
      expect((await get(coupon.id)).body.data.version).toBe(1);
      const star = await patch(coupon.id, { maxRedemptions: 3 }, { 'if-match': '*' });
      expect([star.status, star.body.data.version]).toEqual([200, 2]);
    });

    it('DELETE honours If-Match too', async () => {
      const coupon = await created();
      const stale = await remove(coupon.id, { 'if-match': '"7"' });
      expect([stale.status, stale.body.code]).toEqual([412, 41200]);
      expect((await get(coupon.id)).body.data.status).toBe('active');
      const current = await remove(coupon.id, { 'if-match': '"1"' });
      expect([current.status, current.body.data.status]).toEqual([200, 'disabled']);
    });

    it('parallel PATCHes with the same If-Match → one 200, the rest 412, never 500', async () => {
      const coupon = await created();
      const responses = await Promise.all(
        Array.from({ length: 8 }, (_, index) => patch(coupon.id, { maxRedemptions: index + 1 }, { 'if-match': '"1"' })),
      );
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 412)).toHaveLength(7);
      expect((await get(coupon.id)).body.data.version).toBe(2);
    });
  });

  describe('unique codes', () => {
    it('a taken code, in another case → 409 40900', async () => {
      const first = await created();
      const again = await create({ code: first.code.toLowerCase(), discount: { percent: 50 } });
      expect([again.status, again.body.code, again.body.data]).toEqual([409, 40900, null]);
      const padded = await create({ code: ` ${first.code} ` });
      expect([padded.status, padded.body.code]).toEqual([409, 40900]);
      expect((await get(first.id)).body.data).toEqual(first);
    });

    it('20 parallel POSTs of one code (mixed case) → exactly one 201, the rest 409 40900, never 500', async () => {
      const code = uniqueCode('race');
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          api.call<CouponBody>('POST', '/api/v1/coupons', {
            token: admin.accessToken,
            body: { code: index % 2 === 0 ? code : code.toUpperCase(), discount: { percent: index + 1 } },
          }),
        ),
      );
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(19);
      for (const response of responses.filter((one) => one.status === 409)) expect(response.body.code).toBe(40900);
      const winner = responses.find((response) => response.status === 201)!.body.data;
      expect((await get(winner.id)).body.data.code).toBe(code.toUpperCase());
    });
  });

  describe('pagination', () => {
    it('walks every page newest first, without duplicates or gaps; nextCursor null on the last page', async () => {
      const made: CouponBody[] = [];
      for (let index = 0; index < 5; index++) made.push(await created());
      const mine = new Set(made.map((coupon) => coupon.id));
      const seen: CouponBody[] = [];
      let cursor: string | null = null;
      let pages = 0;
      for (;;) {
        const response: ApiResponse<PageBody> = await list(`limit=2${cursor === null ? '' : `&cursor=${cursor}`}`);
        expect(response.status, response.raw.body).toBe(200);
        expect(Object.keys(response.body.data).sort()).toEqual(['items', 'nextCursor']);
        expect(response.body.data.items.length).toBeLessThanOrEqual(2);
        seen.push(...response.body.data.items);
        pages += 1;
        cursor = response.body.data.nextCursor;
        // Other tests (and, on the server profile, earlier runs) add coupons too: walk until all of ours were seen.
        if (cursor === null || [...mine].every((id) => seen.some((item) => item.id === id))) break;
        expect(response.body.data.items).toHaveLength(2);
        expect(pages).toBeLessThan(500);
      }
      expect(new Set(seen.map((item) => item.id)).size).toBe(seen.length);
      const order = seen.map((item) => `${item.createdAt} ${item.id}`);
      expect(order).toEqual([...order].sort().reverse());
      expect(seen.filter((item) => mine.has(item.id))).toEqual([...made].reverse());
    });

    it('the default limit is 20; the first page without a cursor starts with the newest coupon', async () => {
      const newest = await created();
      const response = await list('');
      expect(response.status).toBe(200);
      expect(response.body.data.items.length).toBeLessThanOrEqual(20);
      expect(response.body.data.items.map((item) => item.id)).toContain(newest.id);
      expect(response.body.data).toHaveProperty('nextCursor');
    });

    it('the last page says nextCursor: null', async () => {
      let cursor: string | null = null;
      for (let pages = 0; ; pages++) {
        expect(pages).toBeLessThan(1_000);
        const response: ApiResponse<PageBody> = await list(`limit=100${cursor === null ? '' : `&cursor=${cursor}`}`);
        expect(response.status).toBe(200);
        cursor = response.body.data.nextCursor;
        if (cursor === null) return;
      }
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=1.5', 'limit'],
      ['limit=', 'limit'],
      ['cursor=!!!', 'cursor'],
      ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
      [`cursor=${Buffer.from('["not a date","x"]').toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from('[1,2]').toString('base64url')}`, 'cursor'],
      [`cursor=${'A'.repeat(2049)}`, 'cursor'],
      ['status=active', 'status'],
    ])('GET /coupons?%.60s → 400 40000 on %s', async (query, field) => {
      const response = await list(query);
      expect([response.status, response.body.code]).toEqual([400, 40000]);
      expect(fieldsOf(response)).toContain(field);
    });

    it('lists every bad query parameter at once', async () => {
      const response = await list('limit=0&cursor=!!!&extra=1');
      expect(response.status).toBe(400);
      expect(fieldsOf(response)).toEqual(['cursor', 'extra', 'limit']);
    });
  });

  describe('with orders', () => {
    async function newProduct(price: number, stock: number): Promise<string> {
      const sku = `CPN-${uuidv7().slice(-12)}`;
      const product = await api.call<{ id: string }>('POST', '/api/v1/products', {
        token: admin.accessToken,
        body: { sku, name: `Coupon test ${sku}`, price: { amount: price, currency: 'EUR' } },
      });
      expect(product.status, product.raw.body).toBe(201);
      const adjusted = await api.call('POST', `/api/v1/products/${product.body.data.id}/stock-adjustments`, {
        token: admin.accessToken,
        body: { delta: stock, reason: 'delivery' },
      });
      expect(adjusted.status, adjusted.raw.body).toBe(201);
      return product.body.data.id;
    }

    it('counts the orders that hold it; a redemption bumps the version, and a PATCH without If-Match still applies', async () => {
      const coupon = await created({ maxRedemptions: 5 });
      const productId = await newProduct(1000, 5);
      const order = await api.call<{ id: string; status: string; discount: Money }>('POST', '/api/v1/orders', {
        token: customer.accessToken,
        headers: { 'idempotency-key': uuidv7() },
        body: { lines: [{ productId, quantity: 1 }], couponCode: coupon.code.toLowerCase() },
      });
      expect(order.status, order.raw.body).toBe(201);
      expect(order.body.data.discount).toEqual({ amount: 100, currency: 'EUR' });
      const redeemed = await waitFor(
        () => get(coupon.id),
        (response) => response.body.data.redemptions === 1,
      );
      expect(redeemed.body.data).toMatchObject({ redemptions: 1, pendingRedemptions: 0 });
      expect(redeemed.body.data.version).toBeGreaterThan(1);
      expect(redeemed.headers.etag).toBe(`"${redeemed.body.data.version}"`);

      const stale = await patch(coupon.id, { maxRedemptions: 6 }, { 'if-match': '"1"' });
      expect([stale.status, stale.body.code]).toEqual([412, 41200]);
      const patched = await patch(coupon.id, { maxRedemptions: 6 });
      expect(patched.status, patched.raw.body).toBe(200);
      expect(patched.body.data).toMatchObject({
        maxRedemptions: 6,
        redemptions: 1,
        version: redeemed.body.data.version + 1,
      });
      const disabled = await remove(coupon.id, { 'if-match': `"${patched.body.data.version}"` });
      expect(disabled.body.data).toMatchObject({ status: 'disabled', redemptions: 1 });
      const refused = await api.call('POST', '/api/v1/orders', {
        token: customer.accessToken,
        headers: { 'idempotency-key': uuidv7() },
        body: { lines: [{ productId, quantity: 1 }], couponCode: coupon.code },
      });
      expect([refused.status, refused.body.code]).toEqual([422, 42205]);
    });
  });
});
