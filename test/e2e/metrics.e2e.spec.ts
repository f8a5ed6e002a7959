import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { v7 as uuidv7 } from 'uuid';
import { SlowQueryMonitor } from '../../src/platform/persistence/slow-query-monitor.js';
import { ApiClient, type Session } from '../support/api-client.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { parseExposition, samplesOf, type Exposition } from '../support/prometheus-text.js';
import { describeProfile, testProfile } from '../support/test-profile.js';

const PROMTOOL = '/usr/bin/promtool';
/** CI sets it where Debian's `prometheus` package is installed: the check must then run, never skip. */
const promtoolRequired = process.env.REQUIRE_PROMTOOL === '1';

/** Every metric of SPEC §4a this service has today, with its labels (realtime_* arrive with the realtime context). */
const SPEC_METRICS: readonly [name: string, type: string, labels: readonly string[]][] = [
  ['http_request_duration_seconds', 'histogram', ['method', 'route', 'status']],
  ['db_pool_connections', 'gauge', ['state']],
  ['db_slow_queries_total', 'counter', []],
  ['outbox_backlog', 'gauge', []],
  ['outbox_oldest_age_seconds', 'gauge', []],
  ['outbox_dead_letters', 'gauge', []],
  ['cache_requests_total', 'counter', ['cache', 'result']],
  ['rate_limit_rejections_total', 'counter', []],
  ['circuit_breaker_state', 'gauge', ['breaker']],
];

/** A few of prom-client's defaults: heap, GC, event-loop lag (SPEC §4 Observability). */
const RUNTIME_METRICS = [
  'nodejs_heap_size_used_bytes',
  'nodejs_gc_duration_seconds',
  'nodejs_eventloop_lag_seconds',
  'process_resident_memory_bytes',
];

const RATE_LIMIT = 5;

describe(describeProfile('metrics: GET /metrics (SPEC §4 Observability, §4a)'), () => {
  let testApp: TestApp;
  let api: ApiClient;
  let admin: Session;
  /** With Redis the rate-limit counters are shared by every app of the run: this file's client IPs are its own. */
  const ip = () =>
    `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

  beforeAll(async () => {
    testApp = await createTestApp({ RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT) });
    api = new ApiClient(testApp);
    // Each set-up call from its own address, so the tight default limit refuses none of them.
    const email = api.uniqueEmail('metrics');
    expect(
      (
        await api.call('POST', '/api/v1/auth/register', {
          body: { email, password: 'password-1234', displayName: 'Metrics' },
          remoteAddress: ip(),
        })
      ).status,
    ).toBe(201);
    admin = await new ApiClient(testApp, { remoteAddress: ip() }).sessionFor(
      testApp.admin.email,
      testApp.admin.password,
    );
  });
  afterAll(() => testApp.close());

  async function scrape(remoteAddress = ip()): Promise<{ text: string; exposition: Exposition }> {
    const response = await testApp.request({ method: 'GET', url: '/metrics', remoteAddress });
    expect(response.statusCode).toBe(200);
    return { text: response.body, exposition: parseExposition(response.body) };
  }

  it('exposes every SPEC metric with its labels, and the runtime defaults, after some traffic', async () => {
    const me = await api.call('GET', '/api/v1/users/me', { token: admin.accessToken, remoteAddress: ip() });
    expect(me.status).toBe(200);
    const { exposition } = await scrape();

    for (const [name, type, labels] of SPEC_METRICS) {
      expect(exposition.types.get(name), name).toBe(type);
      const samples = samplesOf(exposition, type === 'histogram' ? `${name}_count` : name);
      for (const sample of samples) expect(Object.keys(sample.labels).sort(), name).toEqual([...labels].sort());
    }
    for (const name of RUNTIME_METRICS) expect(exposition.types.has(name), name).toBe(true);

    expect(
      samplesOf(exposition, 'db_pool_connections')
        .map((s) => s.labels.state)
        .sort(),
    ).toEqual(['idle', 'in_use', 'waiting']);
    for (const name of ['outbox_backlog', 'outbox_oldest_age_seconds', 'outbox_dead_letters']) {
      const [sample] = samplesOf(exposition, name);
      expect(sample?.value, name).toBeGreaterThanOrEqual(0);
    }
    // The rate limiter's breaker exists only with Redis; closed while Redis answers.
    const profile = testProfile();
    const breakers = samplesOf(exposition, 'circuit_breaker_state').map((s) => [s.labels.breaker, s.value]);
    if (profile.kind === 'server' && profile.redisUrl !== undefined)
      expect(breakers).toContainEqual(['redis-rate-limit', 0]);
    else expect(breakers).toEqual([]);
    expect(samplesOf(exposition, 'db_slow_queries_total')).toHaveLength(1);
    expect(samplesOf(exposition, 'rate_limit_rejections_total')).toHaveLength(1);
  });

  it('labels requests with the route template, never the raw URL, and unmatched ones as `unmatched`', async () => {
    const stranger = uuidv7();
    expect(
      (await api.call('GET', `/api/v1/users/${admin.userId}`, { token: admin.accessToken, remoteAddress: ip() }))
        .status,
    ).toBe(200);
    expect(
      (await api.call('GET', `/api/v1/users/${stranger}`, { token: admin.accessToken, remoteAddress: ip() })).status,
    ).toBe(404);
    const missing = `/api/v1/no-such-thing-${uuidv7()}`;
    expect((await api.call('GET', missing, { remoteAddress: ip() })).status).toBe(404);

    const { text, exposition } = await scrape();
    const byId = (status: string) =>
      samplesOf(exposition, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/v1/users/:id',
        status,
      });
    expect(byId('200')[0]?.value).toBeGreaterThanOrEqual(1);
    expect(byId('404')[0]?.value).toBeGreaterThanOrEqual(1);
    expect(
      samplesOf(exposition, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: 'unmatched',
        status: '404',
      })[0]?.value,
    ).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(admin.userId);
    expect(text).not.toContain(stranger);
    expect(text).not.toContain('no-such-thing');

    // Buckets are cumulative and end in +Inf = count.
    const buckets = samplesOf(exposition, 'http_request_duration_seconds_bucket', {
      method: 'GET',
      route: '/api/v1/users/:id',
      status: '200',
    });
    const values = buckets.map((b) => b.value);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(buckets.at(-1)?.labels.le).toBe('+Inf');
    expect(buckets.at(-1)?.value).toBe(byId('200')[0]?.value);
  });

  it('counts slow queries and rate-limit refusals', async () => {
    const before = (await scrape()).exposition;
    const value = (exposition: Exposition, name: string) => samplesOf(exposition, name)[0]?.value ?? NaN;

    // The monitor the data source reports to; a query slower than DB_SLOW_QUERY_MS is reported to it like this.
    testApp.app.get(SlowQueryMonitor).observe('SELECT /* metrics e2e */ 1', 60_000);
    const client = ip();
    const statuses: number[] = [];
    for (let i = 0; i <= RATE_LIMIT; i++)
      statuses.push(
        (await api.call('GET', '/api/v1/users/me', { token: 'not-a-token', remoteAddress: client })).status,
      );
    expect(statuses.at(-1)).toBe(429);

    const after = (await scrape()).exposition;
    expect(value(after, 'db_slow_queries_total')).toBe(value(before, 'db_slow_queries_total') + 1);
    expect(value(after, 'rate_limit_rejections_total')).toBeGreaterThanOrEqual(
      value(before, 'rate_limit_rejections_total') + 1,
    );
  });

  it('is plain Prometheus text, not enveloped, and not rate limited', async () => {
    const client = ip();
    const responses = [];
    for (let i = 0; i < RATE_LIMIT * 4; i++)
      responses.push(await testApp.request({ method: 'GET', url: '/metrics', remoteAddress: client }));
    expect(responses.map((r) => r.statusCode)).toEqual(responses.map(() => 200));
    const last = responses.at(-1)!;
    expect(last.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(last.body.startsWith('# HELP ')).toBe(true);
    expect(last.headers['ratelimit-limit']).toBeUndefined();
    // Like /health: not an API route, so not in the OpenAPI document.
    const document = (await testApp.request({ method: 'GET', url: '/docs-json', remoteAddress: ip() })).json<{
      paths: Record<string, unknown>;
    }>();
    expect(Object.keys(document.paths).filter((path) => !path.startsWith('/api/'))).toEqual([]);
    // The same client is still refused on the API: /metrics did not spend its budget, nor was it exempted by IP.
    const statuses: number[] = [];
    for (let i = 0; i <= RATE_LIMIT; i++)
      statuses.push(
        (await api.call('GET', '/api/v1/users/me', { token: 'not-a-token', remoteAddress: client })).status,
      );
    expect(statuses).toEqual([...Array<number>(RATE_LIMIT).fill(401), 429]);
  });

  it.runIf(promtoolRequired || existsSync(PROMTOOL))('passes `promtool check metrics`', async () => {
    if (!existsSync(PROMTOOL)) throw new Error(`REQUIRE_PROMTOOL=1 but ${PROMTOOL} is missing (Debian: prometheus)`);
    const { text } = await scrape();
    const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect({ status: check.status, output: `${check.stdout}${check.stderr}`.trim() }).toEqual({
      status: 0,
      output: '',
    });
  });
});
