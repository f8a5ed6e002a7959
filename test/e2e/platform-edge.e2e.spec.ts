import { connect } from 'node:net';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { ApiClient, type Session } from '../support/api-client.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { describeProfile } from '../support/test-profile.js';

const SHOP = 'https://shop.example';
const ELSEWHERE = 'https://evil.example';
const REQUEST_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'if-match', 'x-request-id'];

/** Anything that would tell a client which framework answered, or how it is built. */
const FRAMEWORK_TRACES = /FST_|Fastify|HttpException|Error:|\bat .+\(.+:\d+:\d+\)|statusCode/;

/** The envelope of SPEC §4 with the given status and code, named by the X-Request-Id header, and nothing more. */
function expectEnvelope(response: LightMyRequestResponse, status: number, code: number): Record<string, unknown> {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.body).not.toMatch(FRAMEWORK_TRACES);
  const body = response.json<Record<string, unknown>>();
  expect(body).toMatchObject({ code, message: expect.any(String), data: null, traceId: expect.any(String) });
  expect(Object.keys(body).sort()).toEqual(
    (body.errors === undefined
      ? ['code', 'data', 'message', 'traceId']
      : ['code', 'data', 'errors', 'message', 'traceId']
    ).sort(),
  );
  expect(response.headers['x-request-id']).toBe(body.traceId);
  return body;
}

function accessControlHeaders(response: LightMyRequestResponse): string[] {
  return Object.keys(response.headers).filter((name) => name.startsWith('access-control-'));
}

/** Sends raw bytes over a real socket and collects everything the server writes back until it closes. */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      // The server may reset the socket after answering; what it wrote is what counts.
      received === '' ? reject(error) : resolve(received),
    );
    socket.on('close', () => resolve(received));
    socket.write(bytes);
  });
}

function parseRawResponse(raw: string): { status: number; headers: Record<string, string>; body: string } {
  const [head = '', body = ''] = raw.split('\r\n\r\n', 2);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  );
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

describe(describeProfile('platform: the HTTP edge (issue #11)'), () => {
  let testApp: TestApp;
  let api: ApiClient;
  let customer: Session;
  let admin: Session;
  let port: number;

  beforeAll(async () => {
    testApp = await createTestApp({ CORS_ORIGINS: `${SHOP},http://localhost:5173` });
    api = new ApiClient(testApp);
    customer = await api.newCustomer();
    admin = await api.adminSession();
    await testApp.app.listen({ port: 0, host: '127.0.0.1' });
    port = Number(new URL(await testApp.app.getUrl()).port);
  });
  afterAll(() => testApp.close());

  const bearer = (session: Session) => ({ authorization: `Bearer ${session.accessToken}` });
  const send = (options: InjectOptions) => testApp.request(options);

  describe('CORS', () => {
    it.each(['PATCH', 'DELETE', 'PUT', 'POST', 'GET'])(
      'grants a %s preflight from an allowed origin with every header the API reads, cached',
      async (method) => {
        const response = await send({
          method: 'OPTIONS',
          url: `/api/v1/users/${customer.userId}`,
          headers: {
            origin: SHOP,
            'access-control-request-method': method,
            'access-control-request-headers': REQUEST_HEADERS.join(','),
          },
        });
        expect(response.statusCode).toBe(204);
        expect(response.headers['access-control-allow-origin']).toBe(SHOP);
        const methods = String(response.headers['access-control-allow-methods']).split(/,\s*/);
        expect(methods).toEqual(expect.arrayContaining(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']));
        const allowed = String(response.headers['access-control-allow-headers']).toLowerCase().split(/,\s*/);
        expect(allowed).toEqual(expect.arrayContaining(REQUEST_HEADERS));
        expect(Number(response.headers['access-control-max-age'])).toBeGreaterThan(0);
        // No cookies are used: credentials are never granted.
        expect(response.headers['access-control-allow-credentials']).toBeUndefined();
      },
    );

    it('lets a script from an allowed origin read the headers the API exposes', async () => {
      const response = await send({
        method: 'GET',
        url: '/api/v1/users/me',
        headers: { ...bearer(customer), origin: SHOP },
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe(SHOP);
      expect(response.headers.vary).toMatch(/Origin/);
      const exposed = String(response.headers['access-control-expose-headers']).toLowerCase().split(/,\s*/);
      expect(exposed).toEqual(
        expect.arrayContaining([
          'etag',
          'idempotent-replayed',
          'retry-after',
          'ratelimit-limit',
          'ratelimit-remaining',
          'ratelimit-reset',
          'x-request-id',
        ]),
      );
    });

    it('grants an origin outside CORS_ORIGINS nothing: its preflight is a plain 404 envelope', async () => {
      for (const origin of [ELSEWHERE, `${SHOP}.evil.example`, 'http://shop.example', 'null']) {
        const preflight = await send({
          method: 'OPTIONS',
          url: '/api/v1/users/me',
          headers: {
            origin,
            'access-control-request-method': 'PATCH',
            'access-control-request-headers': 'authorization',
          },
        });
        expectEnvelope(preflight, 404, 40400);
        expect(accessControlHeaders(preflight)).toEqual([]);
        const actual = await send({ method: 'GET', url: '/api/v1/users/me', headers: { ...bearer(customer), origin } });
        expect(actual.statusCode).toBe(200);
        expect(accessControlHeaders(actual)).toEqual([]);
      }
    });

    it('answers a malformed preflight (no Access-Control-Request-Method) in the envelope too', async () => {
      const response = await send({ method: 'OPTIONS', url: '/api/v1/users/me', headers: { origin: SHOP } });
      expectEnvelope(response, 400, 40001);
    });
  });

  describe('failures Fastify answers before Nest sees the request', () => {
    it('a URL that does not percent-decode is 400 40001, with the security and CORS headers of any answer', async () => {
      const response = await send({
        method: 'GET',
        url: '/api/v1/users/%ZZ',
        headers: { ...bearer(admin), origin: SHOP },
      });
      expectEnvelope(response, 400, 40001);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['access-control-allow-origin']).toBe(SHOP);
      const elsewhere = await send({ method: 'GET', url: '/api/v1/users/%ZZ', headers: { origin: ELSEWHERE } });
      expectEnvelope(elsewhere, 400, 40001);
      expect(accessControlHeaders(elsewhere)).toEqual([]);
    });

    it('a 4 KB path parameter is 400 40000 (like any invalid id), not a framework 414', async () => {
      const response = await send({
        method: 'DELETE',
        url: `/api/v1/users/${'a'.repeat(4096)}`,
        headers: bearer(admin),
      });
      const body = expectEnvelope(response, 400, 40000);
      expect(body.errors).toEqual([{ field: 'path', message: expect.stringContaining('100 characters') }]);
      expect(response.body.length).toBeLessThan(1024);
    });

    it('an over-long URL on no route is a 404 that does not echo it back', async () => {
      const response = await send({ method: 'GET', url: `/api/v1/${'a'.repeat(20_000)}`, headers: bearer(customer) });
      expectEnvelope(response, 404, 40400);
      expect(response.body.length).toBeLessThan(1024);
    });

    it('a request line over Node’s header limit, on a real socket, is 400 40001 in the envelope', async () => {
      const raw = await rawExchange(port, `GET /api/v1/users/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
      const response = parseRawResponse(raw);
      expect(response.status).toBe(400);
      expect(response.body).not.toMatch(FRAMEWORK_TRACES);
      expect(JSON.parse(response.body)).toEqual({
        code: 40001,
        message: expect.any(String),
        data: null,
        traceId: response.headers['x-request-id'],
      });
    });

    it('bytes that are not HTTP at all get the envelope too', async () => {
      const response = parseRawResponse(await rawExchange(port, 'HELLO THERE\r\n\r\n'));
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({ code: 40001, data: null });
    });
  });

  describe('router, parser and method failures inside Fastify', () => {
    it.each([
      ['PUT', '/api/v1/users/me'],
      ['DELETE', '/api/v1/auth/login'],
      ['GET', '/api/v1/auth/logout'],
      ['GET', '/api/v2/users/me'],
      ['POST', '/api'],
    ])('an unserved method or route (%s %s) is 404 40400', async (method, url) => {
      const response = await send({ method, url, headers: bearer(customer) });
      expectEnvelope(response, 404, 40400);
    });

    it.each([
      ['text/plain', 'displayName=x'],
      ['application/xml', '<user><displayName>x</displayName></user>'],
      ['application/x-www-form-urlencoded', 'displayName=x'],
      ['multipart/form-data; boundary=x', '--x\r\n\r\nx\r\n--x--'],
    ])('a %s body is 400 40001', async (type, payload) => {
      const response = await send({
        method: 'PATCH',
        url: '/api/v1/users/me',
        headers: { ...bearer(customer), 'content-type': type },
        payload,
      });
      expectEnvelope(response, 400, 40001);
    });

    it.each([
      ['truncated JSON', '{"displayName": '],
      ['trailing garbage', '{"displayName": "x"} x'],
      ['prototype poisoning', '{"__proto__": {"roles": ["admin"]}}'],
      ['constructor poisoning', '{"constructor": {"prototype": {"roles": ["admin"]}}}'],
    ])('%s is 400 40001 (body parsing)', async (_name, payload) => {
      const response = await send({
        method: 'PATCH',
        url: '/api/v1/users/me',
        headers: { ...bearer(customer), 'content-type': 'application/json' },
        payload,
      });
      expectEnvelope(response, 400, 40001);
    });

    it('a Content-Length that does not match the body is 400 40001', async () => {
      const raw = await rawExchange(
        port,
        `PATCH /api/v1/users/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${customer.accessToken}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 5\r\nConnection: close\r\n\r\n{"displayName":"x"}',
      );
      const response = parseRawResponse(raw);
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({ code: expect.any(Number), data: null });
      expect(response.body).not.toMatch(FRAMEWORK_TRACES);
    });
  });

  describe('a body that is not a JSON object (SPEC §4a "Bodies")', () => {
    const notObjects = [
      ['null', 'null'],
      ['an array', '[{"displayName": "x"}]'],
      ['a number', '42'],
      ['a string', '"x"'],
      ['a boolean', 'true'],
    ];

    it.each(notObjects)('PATCH /users/{id} with %s is 400 40000 and changes nothing', async (_name, payload) => {
      const target = await api.newCustomer();
      const response = await send({
        method: 'PATCH',
        url: `/api/v1/users/${target.userId}`,
        headers: { ...bearer(admin), 'content-type': 'application/json' },
        payload,
      });
      const body = expectEnvelope(response, 400, 40000);
      expect(body.errors).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
      const after = await api.call('GET', `/api/v1/users/${target.userId}`, { token: admin.accessToken });
      expect(after.body.data.version).toBe(1);
    });

    it.each(notObjects)('every route with a body refuses %s the same way', async (_name, payload) => {
      for (const [method, url, headers] of [
        ['PATCH', '/api/v1/users/me', bearer(customer)],
        ['POST', '/api/v1/users/me/password', bearer(customer)],
        ['POST', '/api/v1/users', bearer(admin)],
        ['POST', '/api/v1/auth/login', {}],
        ['POST', '/api/v1/auth/register', {}],
        ['POST', '/api/v1/auth/refresh', {}],
        ['POST', '/api/v1/auth/logout', {}],
      ] as const) {
        const response = await send({
          method,
          url,
          headers: { ...headers, 'content-type': 'application/json' },
          payload,
        });
        expectEnvelope(response, 400, 40000);
      }
    });

    it('no body at all on a route that takes one is 400 40000 as well, with or without a JSON content type', async () => {
      for (const headers of [bearer(customer), { ...bearer(customer), 'content-type': 'application/json' }]) {
        const response = await send({ method: 'PATCH', url: '/api/v1/users/me', headers });
        expect(expectEnvelope(response, 400, 40000).errors).toEqual([
          { field: 'body', message: 'must be a JSON object' },
        ]);
      }
    });

    it('an empty body with a JSON content type is no body: fine on a route that takes none (DELETE)', async () => {
      const target = await api.newCustomer();
      const response = await send({
        method: 'DELETE',
        url: `/api/v1/users/${target.userId}`,
        headers: { ...bearer(admin), 'content-type': 'application/json' },
      });
      expect(response.statusCode).toBe(200);
    });

    it('an empty object is still a body (an all-optional PATCH answers 200)', async () => {
      const response = await api.call('PATCH', '/api/v1/users/me', { token: customer.accessToken, body: {} });
      expect(response.status).toBe(200);
    });
  });

  describe('X-Request-Id', () => {
    it.each([
      ['a gateway id', 'gateway-id-12345'],
      ['a UUID', '0193a4b2-7c1d-7e8f-9a0b-1c2d3e4f5a6b'],
      ['a W3C trace id', '4bf92f3577b34da6a3ce929d0e0e4736'],
      ['64 characters', 'a'.repeat(64)],
    ])('adopts %s as the trace id', async (_name, id) => {
      const response = await send({
        method: 'GET',
        url: '/api/v1/users/me',
        headers: { ...bearer(customer), 'x-request-id': id },
      });
      expect(response.headers['x-request-id']).toBe(id);
      expect(response.json<{ traceId: string }>().traceId).toBe(id);
    });

    it.each([
      ['too short', 'abc-123'],
      ['too long', 'a'.repeat(65)],
      ['a space', 'gateway id 12345'],
      ['separators', 'a.b:c_d/e=12345'],
      ['markup', '"><script>alert(1)</script>'],
      ['a log-line breaker', 'abcdefgh\\n{"level":60}'],
      ['non-ASCII', 'réquest-ïd-12345'],
    ])('replaces an id with %s by a fresh one', async (_name, id) => {
      const response = await send({
        method: 'GET',
        url: '/api/v1/users/me',
        headers: { ...bearer(customer), 'x-request-id': id },
      });
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
      expect(response.json<{ traceId: string }>().traceId).toBe(response.headers['x-request-id']);
    });
  });

  describe('the error catalog is what the modules registered', () => {
    interface Document {
      info: { description: string };
      paths: Record<
        string,
        Record<string, { responses: Record<string, { description: string }>; 'x-error-codes': number[] }>
      >;
    }

    it('lists identity’s codes in the catalog table and on the routes that answer them', async () => {
      const document = (await send({ method: 'GET', url: '/docs-json' })).json<Document>();
      expect(document.info.description).toMatch(/\| 422 \| 42210 \| An admin cannot lock themselves out/);
      expect(document.info.description).toMatch(/\| 422 \| 42211 \|/);
      const patch = document.paths['/api/v1/users/{id}']?.patch;
      expect(patch?.['x-error-codes']).toEqual(expect.arrayContaining([42210, 42211]));
      expect(patch?.responses['422']?.description).toMatch(/42210 .*; 42211 /);
      // Every operation lists what the edge can answer on any route.
      for (const methods of Object.values(document.paths)) {
        for (const operation of Object.values(methods)) {
          expect(operation['x-error-codes']).toEqual(
            expect.arrayContaining([40000, 40001, 41300, 42900, 50000, 50300]),
          );
          expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['400', '413', '429', '500', '503']));
        }
      }
    });

    it('answers a registered context code with its status (self-lockout is 422 42210)', async () => {
      const response = await send({ method: 'DELETE', url: `/api/v1/users/${admin.userId}`, headers: bearer(admin) });
      expectEnvelope(response, 422, 42210);
    });
  });
});
