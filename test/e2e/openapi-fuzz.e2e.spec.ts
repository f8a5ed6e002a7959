import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { ApiClient, type Session } from '../support/api-client.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { describeProfile } from '../support/test-profile.js';

/**
 * Issue #11: generated inputs for every operation the served OpenAPI document lists. Nothing here names a route:
 * a route added later is exercised as soon as it is documented. Each operation gets RUNS seeded inputs, each a mix
 * of plausible values (from the operation's own schemas) and hostile or boundary ones, in the path, the query, the
 * headers and the body; every answer must be a documented status, never a 5xx, the envelope with a code the
 * operation documents (`x-error-codes`), and must carry no framework code or stack trace.
 *
 * Deterministic: the seed is fixed (override with FUZZ_SEED to explore, FUZZ_RUNS to go deeper).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_111);
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const ALLOWED_ORIGIN = 'https://shop.example';

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  example?: unknown;
  nullable?: boolean;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, unknown>;
  security?: Record<string, string[]>[];
  'x-error-codes'?: number[];
}

interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const METHODS: readonly string[] = ['get', 'post', 'put', 'patch', 'delete'];

interface Target {
  method: Method;
  path: string;
  operation: Operation;
}

/** Anything that tells a client which framework answered or how the code is laid out. */
const LEAKS =
  /FST_[A-Z_]+|FastifyError|HttpException|TypeError|SyntaxError|QueryFailedError|\bat [\w.<>]+ \(|node_modules|\.ts:\d+/;

const printable = (maxLength: number) => fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${maxLength}}$`));

/** Values that have broken web services before, whatever the field. */
const HOSTILE_STRINGS = [
  '',
  ' ',
  "' OR '1'='1' --",
  '"; DROP TABLE users; --',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%00',
  '\u0000',
  '\uFFFF\uFFFE',
  '\uD800',
  '𝕆𝕣𝕕𝕖𝕣𝕝𝕪 👩‍👩‍👧‍👦',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'A'.repeat(10_000),
  '9'.repeat(400),
  '-1',
  '1e309',
  'NaN',
  'null',
  'true',
];

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(...HOSTILE_STRINGS, null, true, false, 0, -1, 2 ** 53, -(2 ** 63), 1.5, 1e308),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxKeys: 3 }),
  fc.constant(JSON.parse('{"__proto__": {"roles": ["admin"]}, "constructor": {"prototype": {}}}') as unknown),
  fc.constant(nest(60)),
);

function codeOf(response: LightMyRequestResponse): string {
  try {
    return String(response.json<{ code?: unknown }>().code);
  } catch {
    return '-';
  }
}

function nest(depth: number): unknown {
  let value: unknown = 'deep';
  for (let level = 0; level < depth; level += 1) value = { a: value };
  return value;
}

function resolve(schema: Schema, document: Document): Schema {
  if (schema.$ref !== undefined) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return resolve(document.components.schemas[name] ?? {}, document);
  }
  if (schema.allOf !== undefined) {
    return schema.allOf.reduce<Schema>((merged, part) => ({ ...merged, ...resolve(part, document) }), {});
  }
  return schema;
}

/** Values of the documented shape, boundaries included (empty, longest allowed, one too long, out of range). */
function plausible(raw: Schema, document: Document, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(raw, document);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'string': {
      const min = schema.minLength ?? 0;
      const max = Math.min(schema.maxLength ?? 64, 300);
      const options: fc.Arbitrary<unknown>[] = [
        fc.string({ minLength: min, maxLength: max }),
        fc.constantFrom('x'.repeat(max), 'x'.repeat(max + 1), 'x'.repeat(Math.max(min - 1, 0))),
      ];
      if (schema.format === 'uuid') options.push(fc.uuid());
      if (typeof schema.example === 'string') {
        options.push(fc.constant(schema.example));
        if (schema.example.includes('@')) options.push(fc.emailAddress());
      }
      return fc.oneof(...options);
    }
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? -1_000;
      const max = schema.maximum ?? 1_000;
      return fc.oneof(
        fc.integer({ min, max }),
        fc.constantFrom(min - 1, max + 1, min, max),
        schema.type === 'number' ? fc.double({ min, max, noNaN: true }) : fc.constant(min + 0.5),
      );
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return depth > 3 ? fc.constant([]) : fc.array(field(schema.items ?? {}, document, depth + 1), { maxLength: 4 });
    default:
      return depth > 3 ? fc.constant({}) : objectOf(schema, document, depth + 1);
  }
}

/** Mostly plausible, sometimes hostile: one wrong field among right ones is what validation must name. */
function field(schema: Schema, document: Document, depth: number): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: plausible(schema, document, depth), weight: 4 }, { arbitrary: hostileValue, weight: 1 });
}

/** An object with any subset of the documented properties (required ones too may go missing), plus strangers. */
function objectOf(schema: Schema, document: Document, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries(schema.properties ?? {});
  const known = fc.record(
    Object.fromEntries(properties.map(([name, property]) => [name, field(property, document, depth)])),
    { requiredKeys: [] },
  );
  const strangers = fc.oneof(
    { arbitrary: fc.constant({}), weight: 5 },
    { arbitrary: fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), hostileValue, { maxKeys: 2 }), weight: 1 },
  );
  const required = new Set(schema.required ?? []);
  // Valid-looking bodies must be common, or validation is all that is ever exercised.
  const complete = fc.record(
    Object.fromEntries(
      properties.map(([name, property]) => [
        name,
        required.has(name) ? plausible(property, document, depth) : field(property, document, depth),
      ]),
    ),
  );
  return fc.oneof(
    { arbitrary: complete, weight: 2 },
    { arbitrary: fc.tuple(known, strangers).map(([own, extra]) => ({ ...extra, ...own })), weight: 2 },
  );
}

/** The request body as text, or none: mostly JSON objects of the schema, then everything a parser can choke on. */
function bodyFor(operation: Operation, document: Document): fc.Arbitrary<string | undefined> {
  const schema = operation.requestBody?.content['application/json']?.schema;
  const wrong = fc.constantFrom<string | undefined>(
    undefined,
    '',
    'null',
    '[]',
    '[{}]',
    '42',
    '"text"',
    'true',
    '{',
    '{"a":1}}',
    '{"a":1,}',
    "{'single':'quotes'}",
    '{"__proto__":{"isAdmin":true}}',
    '\uFEFF{}',
    JSON.stringify(nest(2_000)),
  );
  if (schema === undefined) {
    return fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: wrong, weight: 1 });
  }
  return fc.oneof(
    { arbitrary: objectOf(resolve(schema, document), document, 0).map((value) => JSON.stringify(value)), weight: 300 },
    { arbitrary: wrong, weight: 100 },
    // Over the 1 MiB limit: rare, it is the costliest input.
    { arbitrary: fc.constant(`{"displayName":"${'x'.repeat(1024 * 1024 + 16)}"}`), weight: 1 },
  );
}

const CONTENT_TYPES = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 12 },
  {
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/json; charset=utf-16',
      'application/problem+json',
      'text/plain',
      'text/html',
      'application/xml',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      ';;;',
      undefined,
    ),
    weight: 3,
  },
);

/** Path parameter values: ids that exist, ids that do not, and what a router or decoder may trip on. */
function pathValue(known: string[]): fc.Arbitrary<{ value: string; raw: boolean }> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...known).map((value) => ({ value, raw: false })), weight: 3 },
    { arbitrary: fc.uuid().map((value) => ({ value, raw: false })), weight: 3 },
    {
      arbitrary: fc
        .oneof(fc.string({ maxLength: 30 }), fc.constantFrom(...HOSTILE_STRINGS))
        .map((value) => ({ value, raw: false })),
      weight: 2,
    },
    {
      arbitrary: fc
        .constantFrom(
          '%ZZ',
          '%',
          '%2',
          '%C0%AF',
          '%00',
          '..',
          '.',
          '%2e%2e',
          'a%2Fb',
          'x'.repeat(101),
          'x'.repeat(4_096),
        )
        .map((value) => ({ value, raw: true })),
      weight: 2,
    },
  );
}

/** `arbitrary` once in `every` draws, otherwise `absent`. */
function sometimes<T>(arbitrary: fc.Arbitrary<T>, absent: T, every: number): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: fc.constant(absent), weight: every - 1 }, { arbitrary, weight: 1 });
}

type Pair = [string, string];

function queryFor(operation: Operation, document: Document): fc.Arbitrary<string> {
  const declared = (operation.parameters ?? []).filter((parameter) => parameter.in === 'query');
  const pairs = declared.map((parameter) =>
    sometimes(
      fc
        .oneof(
          { arbitrary: plausible(parameter.schema ?? { type: 'string' }, document), weight: 3 },
          { arbitrary: hostileValue, weight: 1 },
        )
        .map((value): Pair[] => [[parameter.name, typeof value === 'string' ? value : String(JSON.stringify(value))]]),
      [],
      2,
    ),
  );
  const repeated =
    declared.length === 0
      ? fc.constant<Pair[]>([])
      : sometimes(
          fc.constantFrom(...declared).map((parameter): Pair[] => [
            [parameter.name, '1'],
            [parameter.name, '2'],
          ]),
          [],
          8,
        );
  const unknown = sometimes(
    fc
      .tuple(fc.constantFrom('debug', 'where', '__proto__', 'limit[$gt]', 'a'.repeat(300)), printable(20))
      .map((pair): Pair[] => [pair]),
    [],
    8,
  );
  return fc.tuple(fc.tuple(...pairs), repeated, unknown).map(([declaredPairs, repeatedPairs, unknownPairs]) => {
    const query = new URLSearchParams([...declaredPairs.flat(), ...repeatedPairs, ...unknownPairs]).toString();
    return query === '' ? '' : `?${query}`;
  });
}

describe(describeProfile('generated inputs for every documented operation (/docs-json)'), () => {
  let testApp: TestApp;
  let document: Document;
  let admin: Session;
  let customer: Session;
  let victim: Session;
  let sent = 0;
  const seen = new Map<string, Map<string, number>>();

  beforeAll(async () => {
    testApp = await createTestApp({ CORS_ORIGINS: ALLOWED_ORIGIN });
    const api = new ApiClient(testApp);
    admin = await api.adminSession();
    customer = await api.newCustomer();
    victim = await api.newCustomer();
    document = (await testApp.request({ method: 'GET', url: '/docs-json' })).json<Document>();
  });

  afterAll(async () => {
    const summary = [...seen.entries()].map(
      ([operation, answers]) =>
        `  ${operation}: ${[...answers.entries()]
          .sort()
          .map(([answer, count]) => `${answer}×${count}`)
          .join(' ')}`,
    );
    console.log(
      `generated-input test: ${sent} requests (seed ${SEED}, ${RUNS} runs per operation)\n${summary.join('\n')}`,
    );
    await testApp?.close();
  });

  function targets(): Target[] {
    return Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, operation]) => ({ method: method.toUpperCase() as Method, path, operation })),
    );
  }

  function authorizationFor(operation: Operation): fc.Arbitrary<string | undefined> {
    const forged = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(`{"sub":"${admin.userId}","roles":["admin"]}`).toString('base64url')}.`;
    const hostile = fc.constantFrom(
      'Bearer not.a.jwt',
      `Bearer ${forged}`,
      `Bearer ${customer.refreshToken}`,
      `Basic ${Buffer.from('admin:admin').toString('base64')}`,
      'Bearer',
      '',
      `Bearer ${'a'.repeat(8_000)}`,
      `bearer ${customer.accessToken}`,
    );
    const isPublic = operation.security !== undefined && operation.security.length === 0;
    return isPublic
      ? fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: hostile, weight: 1 })
      : fc.oneof(
          { arbitrary: fc.constant(`Bearer ${admin.accessToken}`), weight: 5 },
          { arbitrary: fc.constant(`Bearer ${customer.accessToken}`), weight: 2 },
          { arbitrary: fc.constant(undefined), weight: 1 },
          { arbitrary: hostile, weight: 1 },
        );
  }

  const extraHeaders = fc.record(
    {
      'x-request-id': fc.oneof(printable(80), fc.uuid(), fc.constant('valid-request-id-1')),
      'if-match': fc.oneof(printable(20), fc.constant('"1"'), fc.constant('*')),
      'idempotency-key': printable(300),
      accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml', ''),
      origin: fc.constantFrom(ALLOWED_ORIGIN, 'https://evil.example', 'null'),
      'x-forwarded-for': fc.constantFrom('1.2.3.4', 'garbage', '127.0.0.1, 10.0.0.1'),
    },
    { requiredKeys: [] },
  );

  function problemsWith(target: Target, response: LightMyRequestResponse): string[] {
    const problems: string[] = [];
    const { operation } = target;
    const status = response.statusCode;
    if (status >= 500) problems.push(`answered ${status}`);
    if (!(String(status) in operation.responses)) problems.push(`status ${status} is not documented`);
    if (LEAKS.test(response.body)) problems.push('the body names the framework or the code');
    if (status === 204) {
      if (response.body !== '') problems.push('a 204 with a body');
      return problems;
    }
    let body: { code?: unknown; message?: unknown; data?: unknown; traceId?: unknown };
    try {
      body = response.json();
    } catch {
      return [...problems, `not JSON: ${response.body.slice(0, 80)}`];
    }
    if (typeof body.code !== 'number' || typeof body.message !== 'string' || !('data' in body)) {
      problems.push('not the envelope');
    }
    if (body.traceId !== response.headers['x-request-id']) problems.push('traceId differs from X-Request-Id');
    if (status < 300) {
      if (body.code !== 0) problems.push(`success with code ${String(body.code)}`);
    } else {
      const code = Number(body.code);
      if (!(operation['x-error-codes'] ?? []).includes(code)) problems.push(`code ${code} is not documented`);
      if (Math.floor(code / 100) !== status) problems.push(`code ${code} does not match status ${status}`);
      if (body.data !== null) problems.push('an error with data');
    }
    return problems;
  }

  it('finds the operations in the served document', () => {
    expect(targets().length).toBeGreaterThanOrEqual(12);
  });

  it('answers every generated input with a documented status and code, in the envelope, without leaks', async () => {
    // The customer's session must live through the run (its token is one of the generated credentials).
    const known = [admin.userId, victim.userId];
    for (const target of targets()) {
      const { operation, path } = target;
      const pathNames = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path').map((p) => p.name);
      const input = fc.record({
        path: fc.tuple(...pathNames.map(() => pathValue(known))),
        query: queryFor(operation, document),
        body: bodyFor(operation, document),
        contentType: CONTENT_TYPES,
        authorization: authorizationFor(operation),
        headers: extraHeaders,
      });
      const key = `${target.method} ${path}`;
      await fc.assert(
        fc.asyncProperty(input, async (generated) => {
          let url = path;
          pathNames.forEach((name, index) => {
            const value = generated.path[index] ?? { value: '', raw: false };
            // toWellFormed: a lone surrogate cannot be percent-encoded (the client would throw, not the server).
            url = url.replace(`{${name}}`, value.raw ? value.value : encodeURIComponent(value.value.toWellFormed()));
          });
          const headers: Record<string, string> = { ...generated.headers };
          if (generated.authorization !== undefined) headers.authorization = generated.authorization;
          if (generated.body !== undefined && generated.contentType !== undefined) {
            headers['content-type'] = generated.contentType;
          }
          const response = await testApp.request({
            method: target.method,
            url: `${url}${generated.query}`,
            headers,
            ...(generated.body === undefined ? {} : { payload: generated.body }),
          });
          sent += 1;
          const answers = seen.get(key) ?? new Map<string, number>();
          const answer = `${response.statusCode}/${codeOf(response)}`;
          answers.set(answer, (answers.get(answer) ?? 0) + 1);
          seen.set(key, answers);
          const problems = problemsWith(target, response);
          if (problems.length > 0) {
            throw new Error(
              `${key} → ${response.statusCode}: ${problems.join('; ')}\n` +
                `request: ${target.method} ${url}${generated.query} ${JSON.stringify(headers).slice(0, 300)} ` +
                `body: ${String(generated.body).slice(0, 300)}\nanswer: ${response.body.slice(0, 300)}`,
            );
          }
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    }
    expect(sent).toBeGreaterThan(0);
  }, 180_000);
});
