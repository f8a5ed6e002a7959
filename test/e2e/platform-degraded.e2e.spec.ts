import { ReadinessState } from '../../src/platform/health/readiness-state.js';
import { ApiClient } from '../support/api-client.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { describeProfile } from '../support/test-profile.js';

/** Nothing listens on port 1: a Redis that is configured but unreachable. */
const DEAD_REDIS = 'redis://127.0.0.1:1/0';

describe(describeProfile('platform: readiness and a Redis outage'), () => {
  describe('readiness', () => {
    let testApp: TestApp;

    beforeAll(async () => {
      testApp = await createTestApp();
    });
    afterAll(() => testApp.close());

    it('is 503 while a start-up task is pending and as soon as shutdown starts', async () => {
      const readiness = testApp.app.get(ReadinessState);
      const ready = () => testApp.request({ method: 'GET', url: '/health/ready' });
      expect((await ready()).statusCode).toBe(200);

      readiness.begin('warming-up');
      const pending = await ready();
      expect(pending.statusCode).toBe(503);
      expect(pending.json()).toMatchObject({
        status: 'error',
        error: { startup: { status: 'down', pending: ['warming-up'] } },
      });
      readiness.complete('warming-up');
      expect((await ready()).statusCode).toBe(200);

      readiness.markShuttingDown();
      expect((await ready()).statusCode).toBe(503);
      expect((await testApp.request({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    });
  });

  describe('Redis unreachable, RATE_LIMIT_FAIL_MODE=open', () => {
    let testApp: TestApp;
    let api: ApiClient;

    beforeAll(async () => {
      testApp = await createTestApp({ REDIS_URL: DEAD_REDIS, RATE_LIMIT_FAIL_MODE: 'open' });
      api = new ApiClient(testApp);
    });
    afterAll(() => testApp.close());

    it('keeps the API up: requests are served without rate limiting', async () => {
      const session = await api.newCustomer();
      expect((await api.call('GET', '/api/v1/users/me', { token: session.accessToken })).status).toBe(200);
    });

    it('stays ready (every replica shares Redis: failing them all would be an outage) and reports Redis down', async () => {
      const ready = await testApp.request({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({
        status: 'ok',
        details: { database: { status: 'up' }, redis: { status: 'down' } },
      });
    });
  });

  describe('Redis unreachable, RATE_LIMIT_FAIL_MODE=closed', () => {
    let testApp: TestApp;
    let api: ApiClient;

    beforeAll(async () => {
      testApp = await createTestApp({ REDIS_URL: DEAD_REDIS, RATE_LIMIT_FAIL_MODE: 'closed' });
      api = new ApiClient(testApp);
    });
    afterAll(() => testApp.close());

    it('reports the instance not ready, naming Redis: it cannot serve rate-limited routes', async () => {
      const ready = await testApp.request({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ error: { redis: { status: 'down' } } });
    });

    it('refuses rate-limited requests with 503 50300 instead of serving them unlimited', async () => {
      const response = await api.register(api.uniqueEmail('closed'));
      expect(response.status).toBe(503);
      expect(response.body.code).toBe(50300);
      expect(response.headers['retry-after']).toBeDefined();
    });
  });
});
