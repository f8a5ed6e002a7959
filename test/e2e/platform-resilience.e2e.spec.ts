import { ApiClient } from '../support/api-client.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { describeProfile, testProfile } from '../support/test-profile.js';

describe(describeProfile('platform: deadlines and optional docs'), () => {
  describe('REQUEST_TIMEOUT', () => {
    let testApp: TestApp;
    let api: ApiClient;

    beforeAll(async () => {
      // A deadline far shorter than 40 password hashes queued on 2 cores (~25 ms each), yet long enough that start-up
      // queries on a busy CI machine stay inside the query timeout. Start-up does no slow work: no admin bootstrap,
      // and migrations only where the schema may be missing (embedded, in memory).
      testApp = await createTestApp({
        REQUEST_TIMEOUT: '150ms',
        DB_QUERY_TIMEOUT: '120ms',
        ADMIN_EMAIL: '',
        ADMIN_PASSWORD: '',
        MIGRATIONS_RUN: testProfile().kind === 'server' ? 'false' : 'true',
      });
      api = new ApiClient(testApp);
    });
    afterAll(() => testApp.close());

    it('answers requests that overrun their deadline with 503 50300 and Retry-After, and keeps serving', async () => {
      const answers = await Promise.all(
        Array.from({ length: 40 }, () => api.register(api.uniqueEmail('slow'), 'password-1234')),
      );
      const timedOut = answers.filter((answer) => answer.status === 503);
      expect(timedOut.length).toBeGreaterThan(0);
      for (const answer of timedOut) {
        expect(answer.body.code).toBe(50300);
        expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
      }
      expect(answers.every((answer) => answer.status === 201 || answer.status === 503)).toBe(true);
      expect((await api.call('GET', '/api/v1/users/me')).status).toBe(401);
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
