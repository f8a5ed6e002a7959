import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { describeProfile } from '../support/test-profile.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.REQUIRE_BROWSER === '1') {
  throw new Error(`REQUIRE_BROWSER=1 but ${CHROMIUM} is missing (apt-get install chromium)`);
}

/** Opens an operation in Swagger UI, fills its body, executes it and reads the live answer. */
async function execute(page: Page, operationId: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const operation = page.locator(`[id$="${operationId}"]`).first();
  await operation.locator('.opblock-summary').first().click();
  await operation.getByRole('button', { name: 'Try it out' }).click();
  if (body !== undefined) await operation.locator('textarea.body-param__text').fill(JSON.stringify(body));
  await operation.getByRole('button', { name: 'Execute' }).click();
  const answer = operation.locator('.live-responses-table tbody .response-col_status').first();
  await answer.waitFor();
  const status = Number((await answer.innerText()).trim());
  const text = await operation.locator('.live-responses-table .microlight').first().innerText();
  return { status, json: JSON.parse(text) };
}

/**
 * SPEC §4a / issue #8: a person opening /docs can register, log in, authorize and call GET /users/me from the
 * page. Driven in Debian's Chromium, against the app listening on a real port.
 */
describe.skipIf(!available)(describeProfile('Swagger UI at /docs, as a person uses it'), () => {
  let testApp: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    testApp = await createTestApp();
    await testApp.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });

  it('registers, logs in, authorizes and reads /users/me from the page', async () => {
    const page = await browser.newPage();
    await page.goto(`${await testApp.app.getUrl()}/docs`, { waitUntil: 'networkidle' });
    const email = `docs-${Date.now()}@test.example`;

    const registered = await execute(page, 'AuthController_register', {
      email,
      password: 'password-1234',
      displayName: 'From the docs',
    });
    expect(registered.status).toBe(201);
    const login = await execute(page, 'AuthController_login', { email, password: 'password-1234' });
    expect(login.status).toBe(200);
    const { accessToken } = (login.json as { data: { accessToken: string } }).data;

    await page
      .getByRole('button', { name: /Authorize/ })
      .first()
      .click();
    await page.locator('.modal-ux input[type=text]').fill(accessToken);
    await page.locator('.modal-ux button.authorize').first().click();
    await page.locator('.modal-ux button.btn-done').first().click();

    const me = await execute(page, 'MeController_me');
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ code: 0, data: { email, displayName: 'From the docs' } });
  }, 60_000);
});
