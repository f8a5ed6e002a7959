import { ApiClient } from '../support/api-client.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { describeProfile, testProfile } from '../support/test-profile.js';

const profile = testProfile();
const sharedRedis = profile.kind === 'server' && profile.redisUrl !== undefined;

describe(describeProfile('rate limiting (§4, §4a)'), () => {
  describe('auth limit per (client IP, email) and default limit per client', () => {
    let testApp: TestApp;
    let api: ApiClient;

    beforeAll(async () => {
      testApp = await createTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_PER_MINUTE: '40' });
      // With Redis, counters are shared by every app of the run: this file's anonymous budget must be its own.
      api = new ApiClient(testApp, {
        remoteAddress: `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.7`,
      });
    });
    afterAll(() => testApp.close());

    it('throttles the 4th login for one email from one IP with 429 42900 and the IETF headers', async () => {
      const email = api.uniqueEmail('throttled');
      const ip = '10.1.0.1';
      for (let attempt = 0; attempt < 3; attempt++) {
        expect(
          (
            await api.call('POST', '/api/v1/auth/login', {
              body: { email, password: 'whatever-123' },
              remoteAddress: ip,
            })
          ).status,
        ).toBe(401);
      }
      const throttled = await api.call('POST', '/api/v1/auth/login', {
        body: { email, password: 'whatever-123' },
        remoteAddress: ip,
      });
      expect(throttled.status).toBe(429);
      expect(throttled.body.code).toBe(42900);
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      expect(throttled.headers['ratelimit-limit']).toBe('3');
      expect(throttled.headers['ratelimit-remaining']).toBe('0');
      expect(Number(throttled.headers['ratelimit-reset'])).toBeGreaterThan(0);
      expect(throttled.headers['x-ratelimit-limit']).toBeUndefined();
      // Another email from the same IP, and the same email from another IP, have their own budgets.
      expect(
        (
          await api.call('POST', '/api/v1/auth/login', {
            body: { email: api.uniqueEmail(), password: 'whatever-123' },
            remoteAddress: ip,
          })
        ).status,
      ).toBe(401);
      expect(
        (
          await api.call('POST', '/api/v1/auth/login', {
            body: { email, password: 'whatever-123' },
            remoteAddress: '10.1.0.2',
          })
        ).status,
      ).toBe(401);
    });

    it('does not let a spoofed X-Forwarded-For buy a fresh budget when no proxy is trusted', async () => {
      const email = api.uniqueEmail('spoof');
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 5; attempt++) {
        const response = await api.call('POST', '/api/v1/auth/login', {
          body: { email, password: 'whatever-123' },
          remoteAddress: '10.2.0.1',
          headers: { 'x-forwarded-for': `203.0.113.${attempt}` },
        });
        statuses.push(response.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    });

    it('counts the default limit per user id for authenticated requests', async () => {
      const first = await api.newCustomer();
      const second = await api.newCustomer();
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 42; attempt++) {
        statuses.push(
          (await api.call('GET', '/api/v1/users/me', { token: first.accessToken, remoteAddress: `10.3.0.${attempt}` }))
            .status,
        );
      }
      expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
      expect((await api.call('GET', '/api/v1/users/me', { token: second.accessToken })).status).toBe(200);
    });
  });

  describe('password change: per-user attempt limit (5 per 15 minutes)', () => {
    let testApp: TestApp;
    let api: ApiClient;

    beforeAll(async () => {
      testApp = await createTestApp();
      api = new ApiClient(testApp, {
        remoteAddress: `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.9`,
      });
    });
    afterAll(() => testApp.close());

    const changePassword = (token: string, currentPassword: string, newPassword: string, remoteAddress: string) =>
      api.call('POST', '/api/v1/users/me/password', { token, body: { currentPassword, newPassword }, remoteAddress });

    it('counts every attempt per user id from any IP: the 6th is 429 42900 even with the right password', async () => {
      const victim = await api.newCustomer('first-password-1');
      const statuses: number[] = [];
      // Four guesses from four IPs, then the owner's own (right) change: all five count.
      for (let attempt = 0; attempt < 4; attempt++) {
        statuses.push(
          (await changePassword(victim.accessToken, `guess-${attempt}-xx`, 'stolen-pass-1', `10.8.0.${attempt}`))
            .status,
        );
      }
      statuses.push(
        (await changePassword(victim.accessToken, 'first-password-1', 'second-password-2', '10.8.1.1')).status,
      );
      expect(statuses).toEqual([400, 400, 400, 400, 204]);

      const sixth = await changePassword(victim.accessToken, 'second-password-2', 'third-password-3', '10.8.2.2');
      expect(sixth.status).toBe(429);
      expect(sixth.body.code).toBe(42900);
      expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(sixth.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
      expect(sixth.headers['ratelimit-limit']).toBe('5');
      expect(sixth.headers['ratelimit-remaining']).toBe('0');
      expect(Number(sixth.headers['ratelimit-reset'])).toBeGreaterThan(60);
      // Refused before the handler: the password is still the one the fifth attempt set.
      expect((await api.login(victim.email, 'third-password-3')).status).toBe(401);
      expect((await api.login(victim.email, 'second-password-2')).status).toBe(200);
      // Only this route is limited for the user.
      expect((await api.call('GET', '/api/v1/users/me', { token: victim.accessToken })).status).toBe(200);
    });

    it('leaves another user unaffected, also on the same IP', async () => {
      const victim = await api.newCustomer('first-password-1');
      const bystander = await api.newCustomer('own-password-1');
      const ip = '10.8.3.3';
      for (let attempt = 0; attempt < 6; attempt++) {
        await changePassword(victim.accessToken, `guess-${attempt}-xx`, 'stolen-pass-1', ip);
      }
      expect((await changePassword(victim.accessToken, 'first-password-1', 'stolen-pass-1', ip)).status).toBe(429);
      expect((await changePassword(bystander.accessToken, 'own-password-1', 'own-password-2', ip)).status).toBe(204);
    });
  });

  describe('with TRUST_PROXY', () => {
    let testApp: TestApp;
    let api: ApiClient;

    beforeAll(async () => {
      testApp = await createTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: '127.0.0.1' });
      api = new ApiClient(testApp);
    });
    afterAll(() => testApp.close());

    it('believes X-Forwarded-For from a trusted proxy, so clients behind it do not share one budget', async () => {
      const email = api.uniqueEmail('proxied');
      const viaProxy = (client: string) =>
        api.call('POST', '/api/v1/auth/login', {
          body: { email, password: 'whatever-123' },
          remoteAddress: '127.0.0.1',
          headers: { 'x-forwarded-for': client },
        });
      expect((await viaProxy('198.51.100.1')).status).toBe(401);
      expect((await viaProxy('198.51.100.1')).status).toBe(401);
      expect((await viaProxy('198.51.100.1')).status).toBe(429);
      expect((await viaProxy('198.51.100.2')).status).toBe(401);
    });
  });

  describe('default limit counted in batches (BatchedRedisThrottlerStorage with Redis; B = 3 at 300 per minute)', () => {
    const LIMIT = 300;
    const BATCH = 3; // ⌊1 % of 300⌋: how far one instance may run ahead of the shared count
    let first: TestApp;
    let second: TestApp | undefined;
    // With Redis, counters are shared by every app of the run: registrations here must not draw on the anonymous
    // budget of 127.0.0.1 that other files spend.
    const remoteAddress = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.11`;

    beforeAll(async () => {
      first = await createTestApp({ RATE_LIMIT_PER_MINUTE: String(LIMIT) });
      // A second instance of the service on the same database and Redis (server profile only).
      if (sharedRedis) second = await createTestApp({ RATE_LIMIT_PER_MINUTE: String(LIMIT) });
    });
    afterAll(async () => {
      await first.close();
      await second?.close();
    });

    it('admits exactly the limit on one instance, then 429 42900', async () => {
      const api = new ApiClient(first, { remoteAddress });
      const session = await api.newCustomer();
      const statuses: number[] = [];
      for (let attempt = 0; attempt < LIMIT + 10; attempt++) {
        statuses.push((await api.call('GET', '/api/v1/users/me', { token: session.accessToken })).status);
      }
      expect(statuses.slice(0, LIMIT).every((status) => status === 200)).toBe(true);
      expect(statuses.slice(LIMIT)).toEqual(Array(10).fill(429));
    });

    it.skipIf(!sharedRedis)(
      'admits at most limit + B across two instances sharing Redis, and no fewer than the limit',
      async () => {
        const instances = [new ApiClient(first, { remoteAddress }), new ApiClient(second!, { remoteAddress })];
        const session = await instances[0].newCustomer();
        let admitted = 0;
        // Bursts of 6 concurrent requests spread over both instances: 420 attempts for a budget of 300.
        for (let burst = 0; burst < 70; burst++) {
          const statuses = await Promise.all(
            Array.from({ length: 6 }, (_, index) =>
              instances[index % 2]
                .call('GET', '/api/v1/users/me', { token: session.accessToken })
                .then((r) => r.status),
            ),
          );
          admitted += statuses.filter((status) => status === 200).length;
          expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);
        }
        expect(admitted).toBeGreaterThanOrEqual(LIMIT);
        expect(admitted).toBeLessThanOrEqual(LIMIT + BATCH);
      },
    );
  });
});
