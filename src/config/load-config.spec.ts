import { InvalidConfigurationError } from './invalid-configuration.error.js';
import { loadConfig } from './load-config.js';

const SERVER = { DATABASE_URL: 'mysql://orderly@db.internal:3306/orderly' };
const SECRET_32 = 'x'.repeat(32);

/** The problems loadConfig reports for `env`, or a failure if it accepts it. */
function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigurationError);
    return (error as InvalidConfigurationError).problems;
  }
  throw new Error(`expected an InvalidConfigurationError for ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  describe('embedded profile (no DATABASE_URL)', () => {
    it('runs migrations, seeds demo data and signs with a development secret', () => {
      const config = loadConfig({});
      expect(config.profile).toBe('embedded');
      expect(config.database.url).toBeUndefined();
      expect(config.database.embeddedFile).toBe('var/orderly.sqlite');
      expect(config.database.migrationsRun).toBe(true);
      expect(config.demoData).toBe(true);
      expect(Buffer.byteLength(config.auth.jwtSecret, 'utf8')).toBeGreaterThanOrEqual(32);
      expect(config.auth.adminEmail).toBeUndefined();
    });

    it('applies the documented defaults (SPEC §5a)', () => {
      const config = loadConfig({});
      expect(config.http).toMatchObject({
        port: 3000,
        host: '0.0.0.0',
        corsOrigins: [],
        trustProxy: false,
        requestTimeoutMs: 10_000,
        shutdownGraceMs: 10_000,
        docsEnabled: true,
      });
      expect(config.database).toMatchObject({
        poolSize: 10,
        queryTimeoutMs: 5_000,
        poolAcquireTimeoutMs: 2_000,
        slowQueryMs: 200,
      });
      expect(config.auth).toMatchObject({ accessTokenTtlMs: 15 * 60_000, refreshTokenTtlMs: 30 * 86_400_000 });
      expect(config.rateLimit).toEqual({ perMinute: 600, authPerMinute: 10, failMode: 'open' });
      expect(config.commerce).toEqual({
        currency: 'EUR',
        orderPaymentTimeoutMs: 15 * 60_000,
        orderConfirmationTimeoutMs: 30_000,
        walletSelfDepositCap: 100_000,
        walletDailyLimit: 1_000_000,
      });
      expect(config.events).toEqual({
        brokerUrl: undefined,
        brokerExchange: 'orderly.events',
        maxAttempts: 8,
        retentionMs: 7 * 86_400_000,
        pollIntervalMs: 1_000,
        retryBaseMs: 1_000,
      });
      expect(config.logLevel).toBe('info');
    });

    it('treats blank variables as unset', () => {
      expect(loadConfig({ PORT: '  ', DATABASE_URL: '', JWT_SECRET: ' ' }).http.port).toBe(3000);
    });

    it('returns a frozen object', () => {
      expect(Object.isFrozen(loadConfig({}))).toBe(true);
    });
  });

  describe('server profile (DATABASE_URL set)', () => {
    it('requires JWT_SECRET', () => {
      expect(problemsOf(SERVER)).toEqual([expect.stringMatching(/^JWT_SECRET/)]);
    });

    it('refuses a secret of 31 bytes and accepts 32, counting UTF-8 bytes rather than characters', () => {
      expect(problemsOf({ ...SERVER, JWT_SECRET: 'x'.repeat(31) })).toEqual([expect.stringMatching(/^JWT_SECRET/)]);
      expect(problemsOf({ ...SERVER, JWT_SECRET: `${'é'.repeat(15)}x` })).toEqual([
        expect.stringMatching(/^JWT_SECRET.*31/),
      ]);
      expect(loadConfig({ ...SERVER, JWT_SECRET: 'é'.repeat(16) }).auth.jwtSecret).toBe('é'.repeat(16));
    });

    it('does not run migrations or seed demo data unless told to', () => {
      const config = loadConfig({ ...SERVER, JWT_SECRET: SECRET_32 });
      expect(config.profile).toBe('server');
      expect(config.database.url).toBe(SERVER.DATABASE_URL);
      expect(config.database.migrationsRun).toBe(false);
      expect(config.demoData).toBe(false);
      expect(loadConfig({ ...SERVER, JWT_SECRET: SECRET_32, MIGRATIONS_RUN: 'true' }).database.migrationsRun).toBe(
        true,
      );
    });

    it('accepts mariadb:// and refuses other schemes', () => {
      const mariadb = 'mariadb://orderly:secret@db/orderly';
      expect(loadConfig({ DATABASE_URL: mariadb, JWT_SECRET: SECRET_32 }).profile).toBe('server');
      expect(problemsOf({ DATABASE_URL: 'postgres://db/orderly', JWT_SECRET: SECRET_32 })).toEqual([
        expect.stringMatching(/^DATABASE_URL/),
      ]);
    });
  });

  it('reads the events platform settings and refuses bad ones by name', () => {
    const config = loadConfig({
      BROKER_URL: 'amqp://guest:guest@rabbit:5672/shop',
      BROKER_EXCHANGE: 'shop.events',
      OUTBOX_MAX_ATTEMPTS: '3',
      OUTBOX_RETENTION: '2d',
      OUTBOX_POLL_INTERVAL: '250ms',
      OUTBOX_RETRY_BASE: '2s',
    });
    expect(config.events).toEqual({
      brokerUrl: 'amqp://guest:guest@rabbit:5672/shop',
      brokerExchange: 'shop.events',
      maxAttempts: 3,
      retentionMs: 2 * 86_400_000,
      pollIntervalMs: 250,
      retryBaseMs: 2_000,
    });
    const problems = problemsOf({
      BROKER_URL: 'http://rabbit',
      BROKER_EXCHANGE: 'amq.topic',
      OUTBOX_MAX_ATTEMPTS: '0',
      OUTBOX_RETENTION: '10s',
      OUTBOX_POLL_INTERVAL: 'often',
    });
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
      'BROKER_EXCHANGE',
      'BROKER_URL',
      'OUTBOX_MAX_ATTEMPTS',
      'OUTBOX_POLL_INTERVAL',
      'OUTBOX_RETENTION',
    ]);
  });

  it('names every bad variable in one error', () => {
    const problems = problemsOf({
      PORT: 'abc',
      REQUEST_TIMEOUT: 'soon',
      RATE_LIMIT_FAIL_MODE: 'maybe',
      TRUST_PROXY: 'not-an-ip',
      CURRENCY: 'euro',
      DOCS_ENABLED: 'perhaps',
    });
    const named = problems.map((problem) => problem.split(':')[0]);
    expect(named).toEqual(
      expect.arrayContaining([
        'PORT',
        'REQUEST_TIMEOUT',
        'RATE_LIMIT_FAIL_MODE',
        'TRUST_PROXY',
        'CURRENCY',
        'DOCS_ENABLED',
      ]),
    );
    expect(problems).toHaveLength(6);
    const message = new InvalidConfigurationError(problems).message;
    expect(message).toContain('6 problems');
  });

  describe('durations', () => {
    it.each([
      ['ACCESS_TOKEN_TTL', '15m', (c: ReturnType<typeof loadConfig>) => c.auth.accessTokenTtlMs, 900_000],
      ['DB_SLOW_QUERY_MS', '500ms', (c: ReturnType<typeof loadConfig>) => c.database.slowQueryMs, 500],
      ['REFRESH_TOKEN_TTL', '30d', (c: ReturnType<typeof loadConfig>) => c.auth.refreshTokenTtlMs, 2_592_000_000],
      [
        'ORDER_PAYMENT_TIMEOUT',
        '1h',
        (c: ReturnType<typeof loadConfig>) => c.commerce.orderPaymentTimeoutMs,
        3_600_000,
      ],
      ['DB_POOL_ACQUIRE_TIMEOUT', '1500', (c: ReturnType<typeof loadConfig>) => c.database.poolAcquireTimeoutMs, 1500],
    ])('%s=%s parses to milliseconds', (name, value, read, expected) => {
      expect(read(loadConfig({ [name]: value }))).toBe(expected);
    });

    it('refuses words, negative and zero durations, and token lifetimes under a second', () => {
      for (const [name, value] of [
        ['REQUEST_TIMEOUT', 'soon'],
        ['REQUEST_TIMEOUT', '-5s'],
        ['DB_QUERY_TIMEOUT', '0'],
        ['ACCESS_TOKEN_TTL', '500ms'],
      ] as const) {
        expect(problemsOf({ [name]: value }), `${name}=${value}`).toEqual([expect.stringMatching(`^${name}`)]);
      }
    });
  });

  describe('TRUST_PROXY', () => {
    it('is false when unset or "false"', () => {
      expect(loadConfig({}).http.trustProxy).toBe(false);
      expect(loadConfig({ TRUST_PROXY: 'false' }).http.trustProxy).toBe(false);
    });

    it('reads a number as a hop count', () => {
      expect(loadConfig({ TRUST_PROXY: '2' }).http.trustProxy).toBe(2);
    });

    it('reads a comma-separated list of addresses and CIDRs', () => {
      expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8,127.0.0.1' }).http.trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
      expect(loadConfig({ TRUST_PROXY: ' fd00::/8 , ::1 ' }).http.trustProxy).toEqual(['fd00::/8', '::1']);
    });

    it('names every invalid entry', () => {
      const [problem, ...rest] = problemsOf({ TRUST_PROXY: '10.0.0.0/33,127.0.0.1,not-an-ip,1.2.3.4/8/9' });
      expect(rest).toEqual([]);
      expect(problem).toMatch(/^TRUST_PROXY/);
      expect(problem).toContain('10.0.0.0/33');
      expect(problem).toContain('not-an-ip');
      expect(problem).toContain('1.2.3.4/8/9');
      expect(problem).not.toContain('127.0.0.1');
    });
  });

  it('refuses a DB_QUERY_TIMEOUT that is not shorter than REQUEST_TIMEOUT', () => {
    expect(problemsOf({ DB_QUERY_TIMEOUT: '10s' })).toEqual([expect.stringMatching(/^DB_QUERY_TIMEOUT/)]);
    expect(problemsOf({ DB_QUERY_TIMEOUT: '3s', REQUEST_TIMEOUT: '2s' })).toEqual([
      expect.stringMatching(/^DB_QUERY_TIMEOUT/),
    ]);
    expect(loadConfig({ DB_QUERY_TIMEOUT: '1999ms', REQUEST_TIMEOUT: '2s' }).database.queryTimeoutMs).toBe(1999);
  });

  describe('admin bootstrap', () => {
    it('needs ADMIN_EMAIL and ADMIN_PASSWORD together', () => {
      expect(problemsOf({ ADMIN_EMAIL: 'root@example.com' })).toEqual([expect.stringMatching(/ADMIN_PASSWORD/)]);
      expect(problemsOf({ ADMIN_PASSWORD: 'long-enough-password' })).toEqual([expect.stringMatching(/ADMIN_EMAIL/)]);
    });

    it('lower-cases the email and keeps the password', () => {
      const config = loadConfig({ ADMIN_EMAIL: 'Root@Example.COM', ADMIN_PASSWORD: 'long-enough-password' });
      expect(config.auth).toMatchObject({ adminEmail: 'root@example.com', adminPassword: 'long-enough-password' });
    });

    it('refuses a password shorter than 8 characters', () => {
      expect(problemsOf({ ADMIN_EMAIL: 'root@example.com', ADMIN_PASSWORD: 'short' })).toEqual([
        expect.stringMatching(/^ADMIN_PASSWORD/),
      ]);
    });
  });

  it('refuses out-of-range integers and unknown enum values', () => {
    for (const [name, value] of [
      ['PORT', '65536'],
      ['PORT', '1.5'],
      ['DB_POOL_SIZE', '0'],
      ['OUTBOX_MAX_ATTEMPTS', '101'],
      ['LOG_LEVEL', 'verbose'],
      ['RATE_LIMIT_FAIL_MODE', 'OPEN'],
      ['REDIS_URL', 'http://cache:6379'],
    ] as const) {
      expect(problemsOf({ [name]: value }), `${name}=${value}`).toEqual([expect.stringMatching(`^${name}`)]);
    }
  });
});
