import { ApiClient } from '../support/api-client.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { describeProfile } from '../support/test-profile.js';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe(describeProfile('identity: register, login, refresh, logout'), () => {
  let testApp: TestApp;
  let api: ApiClient;

  beforeAll(async () => {
    testApp = await createTestApp();
    api = new ApiClient(testApp);
  });
  afterAll(() => testApp.close());

  describe('POST /api/v1/auth/register', () => {
    it('answers 201 with the user in the envelope', async () => {
      const email = api.uniqueEmail('Mixed.Case');
      const response = await api.register(email.toUpperCase(), 'password-1234', ' Ada ');
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ code: 0, message: 'OK', traceId: expect.any(String) });
      expect(response.body.data).toEqual({
        id: expect.stringMatching(UUID_V7),
        email: email.toLowerCase(),
        displayName: 'Ada',
        roles: ['customer'],
        status: 'active',
        version: 1,
        createdAt: expect.stringMatching(ISO_UTC),
        updatedAt: expect.stringMatching(ISO_UTC),
      });
      expect(JSON.stringify(response.body)).not.toMatch(/password/i);
    });

    it('refuses a taken email with 409 40900, whatever its case', async () => {
      const email = api.uniqueEmail();
      expect((await api.register(email)).status).toBe(201);
      const again = await api.register(email.toUpperCase());
      expect(again.status).toBe(409);
      expect(again.body.code).toBe(40900);
    });

    it('lets exactly one of many concurrent registrations of one email win, the rest get 409', async () => {
      const email = api.uniqueEmail('race');
      const answers = await Promise.all(Array.from({ length: 12 }, () => api.register(email)));
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(11);
    });

    it('lists every invalid field, including unknown properties, in one 400 40000', async () => {
      const response = await api.call('POST', '/api/v1/auth/register', {
        body: { email: 'not-an-email', password: 'short', displayName: '', isAdmin: true },
      });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe(40000);
      const fields = new Set(response.body.errors?.map((error) => error.field));
      expect(fields).toEqual(new Set(['email', 'password', 'displayName', 'isAdmin']));
    });

    it('rejects a display name over 100 characters and a password over 128', async () => {
      const response = await api.register(api.uniqueEmail(), 'p'.repeat(129), 'n'.repeat(101));
      expect(response.status).toBe(400);
      expect(response.body.errors?.map((error) => error.field).sort()).toEqual(['displayName', 'password']);
    });

    it('answers malformed JSON and non-JSON content with 400 40001', async () => {
      const malformed = await api.call('POST', '/api/v1/auth/register', {
        body: '{"email": ',
        headers: { 'content-type': 'application/json' },
      });
      expect(malformed.status).toBe(400);
      expect(malformed.body.code).toBe(40001);
      const wrongType = await api.call('POST', '/api/v1/auth/register', {
        body: 'email=a@b.c',
        headers: { 'content-type': 'text/plain' },
      });
      expect(wrongType.status).toBe(400);
      expect(wrongType.body.code).toBe(40001);
    });

    it('answers a body over 1 MiB with 413 41300', async () => {
      const response = await api.call('POST', '/api/v1/auth/register', {
        body: { email: api.uniqueEmail(), password: 'password-1234', displayName: 'x'.repeat(1024 * 1024 + 10) },
      });
      expect(response.status).toBe(413);
      expect(response.body.code).toBe(41300);
    });
  });

  describe('POST /api/v1/auth/login', () => {
    it('answers the token pair of §4a', async () => {
      const email = api.uniqueEmail();
      await api.register(email, 'password-1234');
      const response = await api.login(email, 'password-1234');
      expect(response.status).toBe(200);
      expect(response.body.data).toEqual({
        accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        refreshToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 900,
      });
      const claims = JSON.parse(
        Buffer.from(response.body.data.accessToken.split('.')[1] ?? '', 'base64url').toString(),
      ) as Record<string, unknown>;
      expect(claims).toMatchObject({
        roles: ['customer'],
        iss: 'orderly',
        aud: 'orderly-api',
        sub: expect.any(String),
        jti: expect.any(String),
      });
      expect((claims.exp as number) - (claims.iat as number)).toBe(900);
    });

    it('gives the same answer for an unknown email and a wrong password', async () => {
      const email = api.uniqueEmail();
      await api.register(email, 'password-1234');
      const wrongPassword = await api.login(email, 'wrong-password');
      const unknownEmail = await api.login(api.uniqueEmail(), 'wrong-password');
      expect(wrongPassword.status).toBe(401);
      expect(unknownEmail.status).toBe(401);
      expect({ ...wrongPassword.body, traceId: '' }).toEqual({ ...unknownEmail.body, traceId: '' });
      expect(wrongPassword.body.code).toBe(40100);
    });
  });

  describe('POST /api/v1/auth/refresh and /logout', () => {
    it('rotates the refresh token; the new pair works', async () => {
      const session = await api.newCustomer();
      const refreshed = await api.call<{ accessToken: string; refreshToken: string }>('POST', '/api/v1/auth/refresh', {
        body: { refreshToken: session.refreshToken },
      });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.data.refreshToken).not.toBe(session.refreshToken);
      const me = await api.call('GET', '/api/v1/users/me', { token: refreshed.body.data.accessToken });
      expect(me.status).toBe(200);
    });

    it('treats a re-used refresh token as theft: 401 40102 and the whole family is revoked', async () => {
      const session = await api.newCustomer();
      const first = await api.call<{ refreshToken: string }>('POST', '/api/v1/auth/refresh', {
        body: { refreshToken: session.refreshToken },
      });
      const reuse = await api.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: session.refreshToken } });
      expect(reuse.status).toBe(401);
      expect(reuse.body.code).toBe(40102);
      const successor = await api.call('POST', '/api/v1/auth/refresh', {
        body: { refreshToken: first.body.data.refreshToken },
      });
      expect(successor.status).toBe(401);
    });

    it('lets only one of concurrent exchanges of the same token succeed', async () => {
      const session = await api.newCustomer();
      const answers = await Promise.all(
        Array.from({ length: 6 }, () =>
          api.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: session.refreshToken } }),
        ),
      );
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
      expect(answers.filter((answer) => answer.status === 401)).toHaveLength(5);
    });

    it('logout answers 204 and revokes the family', async () => {
      const session = await api.newCustomer();
      const logout = await api.call('POST', '/api/v1/auth/logout', { body: { refreshToken: session.refreshToken } });
      expect(logout.status).toBe(204);
      expect(logout.raw.body).toBe('');
      const refresh = await api.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: session.refreshToken } });
      expect(refresh.status).toBe(401);
      expect(refresh.body.code).toBe(40100);
    });

    it('answers an unknown refresh token with 401 40100', async () => {
      const response = await api.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: 'not-a-token' } });
      expect(response.status).toBe(401);
      expect(response.body.code).toBe(40100);
    });
  });
});
