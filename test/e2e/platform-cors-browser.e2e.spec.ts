import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ApiClient, type Session } from '../support/api-client.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { describeProfile } from '../support/test-profile.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.REQUIRE_BROWSER === '1') {
  throw new Error(`REQUIRE_BROWSER=1 but ${CHROMIUM} is missing (apt-get install chromium)`);
}

/** A web shop's origin: one blank page, served from its own port (another origin than the API's). */
async function startOrigin(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>shop</title><p>shop</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

interface FetchOutcome {
  ok: boolean;
  status?: number;
  body?: { code: number; data: Record<string, unknown> | null; traceId: string };
  requestId?: string | null;
  error?: string;
}

/** `fetch` run by the page itself, so the browser applies CORS (preflight included) exactly as for a web shop. */
function fetchFrom(
  page: Page,
  url: string,
  init: { method: string; token: string; body?: unknown },
): Promise<FetchOutcome> {
  return page.evaluate(
    async ({ url, init }) => {
      try {
        const response = await fetch(url, {
          method: init.method,
          headers: {
            Authorization: `Bearer ${init.token}`,
            'Content-Type': 'application/json',
            'X-Request-Id': 'browser-request-0001',
            'Idempotency-Key': 'shop-key-1',
          },
          body: init.body === undefined ? undefined : JSON.stringify(init.body),
        });
        return {
          ok: true,
          status: response.status,
          body: (await response.json()) as FetchOutcome['body'],
          // Readable only if the API exposes it to this origin.
          requestId: response.headers.get('x-request-id'),
        };
      } catch (error) {
        return { ok: false, error: String(error) };
      }
    },
    { url, init },
  );
}

/**
 * Issue #11: a page on an origin in CORS_ORIGINS can change a profile (PATCH) and deactivate a user (DELETE) with a
 * bearer token through fetch in a real browser — preflights included — and a page on any other origin cannot.
 * Debian's Chromium, the app listening on a real port.
 */
describe.skipIf(!available)(describeProfile('CORS in a real browser'), () => {
  let testApp: TestApp;
  let browser: Browser;
  let shop: { server: Server; origin: string };
  let elsewhere: { server: Server; origin: string };
  let apiUrl: string;
  let api: ApiClient;
  let customer: Session;
  let admin: Session;

  beforeAll(async () => {
    shop = await startOrigin();
    elsewhere = await startOrigin();
    testApp = await createTestApp({ CORS_ORIGINS: shop.origin });
    await testApp.app.listen({ port: 0, host: '127.0.0.1' });
    apiUrl = await testApp.app.getUrl();
    api = new ApiClient(testApp);
    customer = await api.newCustomer();
    admin = await api.adminSession();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
    shop?.server.close();
    elsewhere?.server.close();
  });

  async function pageOn(origin: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    return page;
  }

  it('lets the allowed origin PATCH /users/me and DELETE /users/{id} with Authorization', async () => {
    const page = await pageOn(shop.origin);
    const patched = await fetchFrom(page, `${apiUrl}/api/v1/users/me`, {
      method: 'PATCH',
      token: customer.accessToken,
      body: { displayName: 'Changed from the shop' },
    });
    expect(patched).toMatchObject({
      ok: true,
      status: 200,
      body: { code: 0, data: { displayName: 'Changed from the shop' } },
    });
    expect(patched.requestId).toBe('browser-request-0001');

    const target = await api.newCustomer();
    const deleted = await fetchFrom(page, `${apiUrl}/api/v1/users/${target.userId}`, {
      method: 'DELETE',
      token: admin.accessToken,
    });
    expect(deleted).toMatchObject({ ok: true, status: 200, body: { code: 0, data: { status: 'deleted' } } });
    await page.close();
  }, 30_000);

  it('refuses another origin: the preflight fails, the browser never sends the change', async () => {
    const page = await pageOn(elsewhere.origin);
    const target = await api.newCustomer();
    const patched = await fetchFrom(page, `${apiUrl}/api/v1/users/me`, {
      method: 'PATCH',
      token: target.accessToken,
      body: { displayName: 'Changed from elsewhere' },
    });
    expect(patched.ok).toBe(false);
    const deleted = await fetchFrom(page, `${apiUrl}/api/v1/users/${target.userId}`, {
      method: 'DELETE',
      token: admin.accessToken,
    });
    expect(deleted.ok).toBe(false);
    await page.close();

    const after = await api.call('GET', `/api/v1/users/${target.userId}`, { token: admin.accessToken });
    expect(after.body.data).toMatchObject({ displayName: 'Test User', status: 'active' });
  }, 30_000);
});
