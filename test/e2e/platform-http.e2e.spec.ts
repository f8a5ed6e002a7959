import { createHmac } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService } from '@nestjs/core';
import { ApiClient, type Session } from '../support/api-client.js';
import { createTestApp, TEST_JWT_SECRET, type TestApp } from '../support/create-test-app.js';
import { describeProfile } from '../support/test-profile.js';

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Builds a token by hand, so every field an attacker controls can be set. */
function forgeToken(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  secret = TEST_JWT_SECRET,
): string {
  const unsigned = `${base64url(header)}.${base64url(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** `METHOD /api/v1/...` for every handler of every controller Nest registered, path parameters as `{name}`. */
function servedApiRoutes(testApp: TestApp): string[] {
  const routes = new Set<string>();
  for (const wrapper of testApp.app.get(DiscoveryService).getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
    if (controller === null) continue;
    const prefixes = [Reflect.getMetadata(PATH_METADATA, controller) as string | string[]].flat();
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = prototype[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (method === undefined || paths === undefined) continue;
      for (const prefix of prefixes) {
        for (const path of [paths].flat()) {
          const url = `/${prefix}/${path}`
            .replace(/\/+/g, '/')
            .replace(/\/$/, '')
            .replace(/:(\w+)/g, '{$1}');
          if (url.startsWith('/api/v1/')) routes.add(`${RequestMethod[method]} ${url}`);
        }
      }
    }
  }
  return [...routes].sort();
}

describe(describeProfile('platform: HTTP contract, auth edge cases, docs, health'), () => {
  let testApp: TestApp;
  let api: ApiClient;
  let customer: Session;

  beforeAll(async () => {
    testApp = await createTestApp({ CORS_ORIGINS: 'https://shop.example' });
    api = new ApiClient(testApp);
    customer = await api.newCustomer();
  });
  afterAll(() => testApp.close());

  const claimsFor = (overrides: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return {
      sub: customer.userId,
      roles: ['customer'],
      iss: 'orderly',
      aud: 'orderly-api',
      jti: 'j1',
      iat: now,
      exp: now + 600,
      ...overrides,
    };
  };

  it('a hand-built but correctly signed token is accepted (the forging helper is faithful)', async () => {
    const token = forgeToken({ alg: 'HS256', typ: 'JWT' }, claimsFor());
    expect((await api.call('GET', '/api/v1/users/me', { token })).status).toBe(200);
  });

  it.each([
    ['alg none', () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claimsFor())}.`],
    [
      'HS512 instead of HS256',
      () => {
        const unsigned = `${base64url({ alg: 'HS512', typ: 'JWT' })}.${base64url(claimsFor())}`;
        return `${unsigned}.${createHmac('sha512', TEST_JWT_SECRET).update(unsigned).digest('base64url')}`;
      },
    ],
    ['wrong secret', () => forgeToken({ alg: 'HS256' }, claimsFor(), 'another-secret-that-is-long-enough-32b')],
    [
      'tampered payload',
      () => {
        const [header, , signature] = forgeToken({ alg: 'HS256' }, claimsFor()).split('.');
        return `${header}.${base64url(claimsFor({ roles: ['admin'] }))}.${signature}`;
      },
    ],
    ['corrupted signature', () => `${forgeToken({ alg: 'HS256' }, claimsFor()).slice(0, -4)}AAAA`],
    ['wrong issuer', () => forgeToken({ alg: 'HS256' }, claimsFor({ iss: 'someone-else' }))],
    ['wrong audience', () => forgeToken({ alg: 'HS256' }, claimsFor({ aud: 'another-api' }))],
    ['garbage', () => 'not.a.jwt'],
  ])('rejects %s with 401 40100', async (_name, build) => {
    const response = await api.call('GET', '/api/v1/users/me', { token: build() });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe(40100);
  });

  it('rejects an expired token with 401 40101', async () => {
    const token = forgeToken({ alg: 'HS256' }, claimsFor({ iat: 1_000, exp: 2_000 }));
    const response = await api.call('GET', '/api/v1/users/me', { token });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe(40101);
  });

  it('rejects a refresh token presented as an access token', async () => {
    const response = await api.call('GET', '/api/v1/users/me', { token: customer.refreshToken });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe(40100);
  });

  it('judges roles by the user’s current state, not by the token’s claim', async () => {
    const token = forgeToken({ alg: 'HS256' }, claimsFor({ roles: ['admin'] }));
    const response = await api.call('GET', '/api/v1/users', { token });
    expect(response.status).toBe(403);
  });

  it('answers unknown routes with the 404 40400 envelope', async () => {
    const response = await api.call('GET', '/api/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 40400, data: null, traceId: expect.any(String) });
  });

  it('names every response with X-Request-Id, equal to the body’s traceId, and keeps a gateway’s id', async () => {
    const response = await api.call('GET', '/api/v1/users/me', { token: customer.accessToken });
    expect(response.headers['x-request-id']).toBe(response.body.traceId);
    const forwarded = await api.call('GET', '/api/v1/users/me', {
      token: customer.accessToken,
      headers: { 'x-request-id': 'gateway-id-12345' },
    });
    expect(forwarded.body.traceId).toBe('gateway-id-12345');
  });

  it('sends helmet security headers', async () => {
    const response = await api.call('GET', '/api/v1/users/me', { token: customer.accessToken });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toBeDefined();
    expect(response.headers['x-frame-options']).toBeDefined();
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('allows only configured CORS origins', async () => {
    const allowed = await testApp.request({
      method: 'OPTIONS',
      url: '/api/v1/users/me',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET' },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example');
    const denied = await testApp.request({
      method: 'OPTIONS',
      url: '/api/v1/users/me',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves health probes without the envelope', async () => {
    const live = await testApp.request({ method: 'GET', url: '/health/live' });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toMatchObject({ status: 'ok' });
    const ready = await testApp.request({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, migrations: { status: 'up' } },
    });
  });

  it('serves Swagger UI at /docs and a document describing every route, its 2xx and its catalog codes', async () => {
    expect((await testApp.request({ method: 'GET', url: '/docs' })).statusCode).toBe(200);
    const document = (await testApp.request({ method: 'GET', url: '/docs-json' })).json<{
      paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>>;
      components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
    }>();
    const routes = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    // Every route the app serves under /api/v1 is documented, and nothing else: the served list is read from the
    // controllers Nest registered, so a new context's routes are checked without editing this test.
    const served = servedApiRoutes(testApp);
    expect(served.length).toBeGreaterThan(30);
    expect(routes.sort()).toEqual(served);
    expect(routes).toEqual(expect.arrayContaining(['POST /api/v1/orders', 'GET /api/v1/products/{id}/stock']));
    expect(Object.keys(document.paths['/api/v1/auth/register']?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '400', '409']),
    );
    expect(Object.keys(document.paths['/api/v1/auth/logout']?.post?.responses ?? {})).toContain('204');
    expect(document.paths['/api/v1/users/me']?.get?.security).toBeDefined();
    expect(document.components.securitySchemes.bearer).toBeDefined();
    expect(document.components.schemas.ErrorEnvelope).toBeDefined();
  });
});
