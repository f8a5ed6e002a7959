import { ApiClient } from '../support/api-client.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { describeProfile, testProfile } from '../support/test-profile.js';

describe(describeProfile('platform: deadlines and optional docs'), () => {
  // The deadline is Fastify's handlerTimeout, independent of the database; a deadline short enough to trip on a
  // hash would also need a query timeout so short that MySQL's start-up queries fail, so this runs embedded only.
  describe.skipIf(testProfile().kind === 'server')('REQUEST_TIMEOUT', () => {
    let testApp: TestApp;
    let api: ApiClient;

    beforeAll(async () => {
      // Password hashing alone takes longer than this deadline, so registration cannot finish in time.
      testApp = await createTestApp({ REQUEST_TIMEOUT: '15ms', DB_QUERY_TIMEOUT: '10ms' });
      api = new ApiClient(testApp);
    });
    afterAll(() => testApp.close());

    it('answers a request that overruns its deadline with 503 50300 and Retry-After', async () => {
      const response = await api.register(api.uniqueEmail('slow'), 'password-1234');
      expect(response.status).toBe(503);
      expect(response.body.code).toBe(50300);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('still answers fast requests normally', async () => {
      const response = await api.call('GET', '/api/v1/users/me');
      expect(response.status).toBe(401);
    });
  });

  describe('DOCS_ENABLED=false', () => {
    let testApp: TestApp;

    beforeAll(async () => {
      testApp = await createTestApp({ DOCS_ENABLED: 'false' });
    });
    afterAll(() => testApp.close());

    it('serves neither /docs nor /docs-json', async () => {
      expect((await testApp.request({ method: 'GET', url: '/docs' })).statusCode).toBe(404);
      expect((await testApp.request({ method: 'GET', url: '/docs-json' })).statusCode).toBe(404);
    });
  });
});
