/**
 * The typed, validated configuration of the whole service (SPEC §5a). Only `load-config.ts` reads the
 * environment; everything else receives this object by injection (`constructor(private readonly config: AppConfig)`).
 * It is an abstract class so that it doubles as its own DI token.
 */
export type Profile = 'embedded' | 'server';
export type RateLimitFailMode = 'open' | 'closed';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface HttpConfig {
  readonly port: number;
  readonly host: string;
  readonly corsOrigins: readonly string[];
  /** `false`: trust no proxy; a number: hop count; strings: CIDRs/addresses whose X-Forwarded-For is believed. */
  readonly trustProxy: false | number | readonly string[];
  readonly requestTimeoutMs: number;
  readonly bodyLimitBytes: number;
  readonly docsEnabled: boolean;
  readonly shutdownGraceMs: number;
}

export interface DatabaseConfig {
  /** Server profile: mysql2 connection URL. */
  readonly url: string | undefined;
  /** Embedded profile: SQLite file written atomically; `:memory:` keeps it in memory only (tests). */
  readonly embeddedFile: string;
  readonly poolSize: number;
  readonly queryTimeoutMs: number;
  readonly poolAcquireTimeoutMs: number;
  readonly slowQueryMs: number;
  readonly migrationsRun: boolean;
}

export interface AuthConfig {
  /** HMAC key as UTF-8 bytes (§4a). */
  readonly jwtSecret: string;
  readonly jwtIssuer: string;
  readonly jwtAudience: string;
  readonly accessTokenTtlMs: number;
  readonly refreshTokenTtlMs: number;
  readonly adminEmail: string | undefined;
  readonly adminPassword: string | undefined;
}

export interface RateLimitConfig {
  readonly perMinute: number;
  readonly authPerMinute: number;
  readonly failMode: RateLimitFailMode;
}

export interface CommerceConfig {
  readonly currency: string;
  readonly orderPaymentTimeoutMs: number;
  readonly orderConfirmationTimeoutMs: number;
  readonly walletSelfDepositCap: number;
  readonly walletDailyLimit: number;
}

/** The events platform (SPEC §4 "Domain events and the outbox"). */
export interface EventsConfig {
  /** `amqp://…`: integration events are also published to RabbitMQ; unset = in-process delivery only. */
  readonly brokerUrl: string | undefined;
  readonly brokerExchange: string;
  /** Handler attempts before an event is dead-lettered for that handler. */
  readonly maxAttempts: number;
  /** Delivered outbox rows, inbox entries and replayed dead letters are pruned after this. */
  readonly retentionMs: number;
  /** How often the relay looks for undelivered rows (crash repair, retries); new rows are delivered at once. */
  readonly pollIntervalMs: number;
  /** First retry delay of a failing handler; doubled per attempt, with jitter. */
  readonly retryBaseMs: number;
}

export abstract class AppConfig {
  abstract readonly profile: Profile;
  abstract readonly environment: string;
  abstract readonly http: HttpConfig;
  abstract readonly database: DatabaseConfig;
  abstract readonly redisUrl: string | undefined;
  abstract readonly events: EventsConfig;
  abstract readonly auth: AuthConfig;
  abstract readonly rateLimit: RateLimitConfig;
  abstract readonly commerce: CommerceConfig;
  abstract readonly demoData: boolean;
  abstract readonly logLevel: LogLevel;
  abstract readonly otlpEndpoint: string | undefined;
}
