import { isIP } from 'node:net';
import { AppConfig, type LogLevel, type Profile, type RateLimitFailMode } from './app-config.js';
import { EnvReader } from './env-reader.js';
import { InvalidConfigurationError } from './invalid-configuration.error.js';

/** Only for the embedded profile, where the service runs on a developer's machine with demo data. */
const EMBEDDED_DEV_SECRET = 'orderly-embedded-development-secret-not-for-production';
const MIN_SECRET_BYTES = 32;
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Builds the typed configuration from an environment, validating every variable of SPEC §5a.
 * Throws one InvalidConfigurationError naming every bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const read = new EnvReader(env);
  const databaseUrl = read.url('DATABASE_URL', ['mysql:', 'mariadb:']);
  const profile: Profile = read.raw('DATABASE_URL') === undefined ? 'embedded' : 'server';
  const embedded = profile === 'embedded';

  const jwtSecret = read.secret('JWT_SECRET') ?? (embedded ? EMBEDDED_DEV_SECRET : undefined);
  if (jwtSecret === undefined) {
    read.problem(`JWT_SECRET: required in the server profile (at least ${MIN_SECRET_BYTES} bytes)`);
  } else if (Buffer.byteLength(jwtSecret, 'utf8') < MIN_SECRET_BYTES) {
    read.problem(`JWT_SECRET: must be at least ${MIN_SECRET_BYTES} bytes, got ${Buffer.byteLength(jwtSecret, 'utf8')}`);
  }

  const adminEmail = read.optionalString('ADMIN_EMAIL');
  const adminPassword = read.secret('ADMIN_PASSWORD');
  if ((adminEmail === undefined) !== (adminPassword === undefined)) {
    read.problem('ADMIN_EMAIL / ADMIN_PASSWORD: set both or neither');
  }
  // Counted in code points, exactly as the password policy counts them.
  if (adminPassword !== undefined && ([...adminPassword].length < 8 || [...adminPassword].length > 128)) {
    read.problem('ADMIN_PASSWORD: must be 8–128 characters');
  }

  const config: AppConfig = {
    profile,
    environment: read.string('NODE_ENV', 'development'),
    http: {
      port: read.int('PORT', 3000, 0, 65535),
      host: read.string('HOST', '0.0.0.0'),
      corsOrigins: read.list('CORS_ORIGINS'),
      trustProxy: readTrustProxy(read),
      requestTimeoutMs: read.duration('REQUEST_TIMEOUT', '10s'),
      bodyLimitBytes: 1024 * 1024,
      docsEnabled: read.bool('DOCS_ENABLED', true),
      shutdownGraceMs: read.int('SHUTDOWN_GRACE_MS', 10_000, 0),
    },
    database: {
      url: databaseUrl,
      embeddedFile: read.string('EMBEDDED_DB_FILE', 'var/orderly.sqlite'),
      poolSize: read.int('DB_POOL_SIZE', 10, 1, 1000),
      queryTimeoutMs: read.duration('DB_QUERY_TIMEOUT', '5s'),
      poolAcquireTimeoutMs: read.duration('DB_POOL_ACQUIRE_TIMEOUT', '2s'),
      slowQueryMs: read.duration('DB_SLOW_QUERY_MS', '200ms'),
      migrationsRun: read.bool('MIGRATIONS_RUN', embedded),
    },
    redisUrl: read.url('REDIS_URL', ['redis:', 'rediss:']),
    events: {
      brokerUrl: read.url('BROKER_URL', ['amqp:', 'amqps:']),
      brokerExchange: readExchangeName(read),
      maxAttempts: read.int('OUTBOX_MAX_ATTEMPTS', 8, 1, 100),
      retentionMs: read.duration('OUTBOX_RETENTION', '7d', 60_000),
      pollIntervalMs: read.duration('OUTBOX_POLL_INTERVAL', '1s', 10),
      retryBaseMs: read.duration('OUTBOX_RETRY_BASE', '1s', 1),
    },
    auth: {
      jwtSecret: jwtSecret ?? '',
      jwtIssuer: read.string('JWT_ISSUER', 'orderly'),
      jwtAudience: read.string('JWT_AUDIENCE', 'orderly-api'),
      accessTokenTtlMs: read.duration('ACCESS_TOKEN_TTL', '15m', 1000),
      refreshTokenTtlMs: read.duration('REFRESH_TOKEN_TTL', '30d', 1000),
      adminEmail: adminEmail?.toLowerCase(),
      adminPassword,
    },
    rateLimit: {
      perMinute: read.int('RATE_LIMIT_PER_MINUTE', 600, 1),
      authPerMinute: read.int('AUTH_RATE_LIMIT_PER_MINUTE', 10, 1),
      failMode: read.oneOf<RateLimitFailMode>('RATE_LIMIT_FAIL_MODE', ['open', 'closed'], 'open'),
    },
    commerce: {
      currency: readCurrency(read),
      orderPaymentTimeoutMs: read.duration('ORDER_PAYMENT_TIMEOUT', '15m'),
      orderConfirmationTimeoutMs: read.duration('ORDER_CONFIRMATION_TIMEOUT', '30s'),
      walletSelfDepositCap: read.int('WALLET_SELF_DEPOSIT_CAP', 100_000, 1),
      walletDailyLimit: read.int('WALLET_DAILY_LIMIT', 1_000_000, 1),
    },
    demoData: read.bool('DEMO_DATA', embedded),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    otlpEndpoint: read.url('OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']),
  };

  if (config.database.queryTimeoutMs >= config.http.requestTimeoutMs) {
    read.problem('DB_QUERY_TIMEOUT: must be shorter than REQUEST_TIMEOUT so inner deadlines fire first');
  }
  if (read.problems.length > 0) throw new InvalidConfigurationError(read.problems);
  return Object.freeze(config);
}

/** AMQP exchange names: letters, digits, hyphen, underscore, period and colon, at most 127 characters. */
function readExchangeName(read: EnvReader): string {
  const name = read.string('BROKER_EXCHANGE', 'orderly.events');
  if (!/^[A-Za-z0-9_.:-]{1,127}$/.test(name) || name.startsWith('amq.')) {
    read.problem(`BROKER_EXCHANGE: expected an AMQP exchange name (not amq.*), got "${name}"`);
  }
  return name;
}

function readCurrency(read: EnvReader): string {
  const currency = read.string('CURRENCY', 'EUR');
  if (!/^[A-Z]{3}$/.test(currency)) read.problem(`CURRENCY: expected an ISO 4217 code such as EUR, got "${currency}"`);
  return currency;
}

/** Hop count (`1`) or comma-separated addresses/CIDRs (`10.0.0.0/8,192.168.1.1`); unset trusts no proxy (§4). */
function readTrustProxy(read: EnvReader): false | number | string[] {
  const raw = read.raw('TRUST_PROXY');
  if (raw === undefined || raw === 'false') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  const entries = read.list('TRUST_PROXY');
  const bad = entries.filter((entry) => {
    const [address, bits, ...rest] = entry.split('/');
    if (rest.length > 0 || address === undefined || isIP(address) === 0) return true;
    return bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= (isIP(address) === 4 ? 32 : 128));
  });
  if (bad.length > 0) read.problem(`TRUST_PROXY: expected a hop count or IPs/CIDRs, invalid: ${bad.join(', ')}`);
  return entries;
}
