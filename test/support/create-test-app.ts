import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { createApp } from '../../src/bootstrap.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { loadConfig } from '../../src/config/load-config.js';
import { testProfile } from './test-profile.js';

export const TEST_JWT_SECRET = 'e2e-test-secret-that-is-at-least-32-bytes-long';

export interface TestApp {
  readonly app: NestFastifyApplication;
  readonly admin: { email: string; password: string };
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * Boots the real application in-process on the current test profile (embedded SQLite in memory, or MariaDB +
 * Redis), configured through the same loadConfig/createApp path as production. Requests go through Fastify's
 * inject: the full HTTP pipeline (hooks, guards, pipes, filter, serialization) without a socket.
 * Every app gets its own bootstrap admin, so test files never depend on each other's data.
 */
/**
 * The configuration every in-process test app boots with: the test profile's database (and Redis), its own bootstrap
 * admin, limits out of the way. Also for tests that compose a root module of their own around AppModule.
 */
export function testAppConfig(admin: { email: string; password: string }, env: Record<string, string> = {}): AppConfig {
  const profile = testProfile();
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET: TEST_JWT_SECRET,
    DEMO_DATA: 'false',
    MIGRATIONS_RUN: 'true',
    RATE_LIMIT_PER_MINUTE: '100000',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    ...(profile.kind === 'server'
      ? {
          DATABASE_URL: profile.databaseUrl,
          ...(profile.redisUrl === undefined ? {} : { REDIS_URL: profile.redisUrl }),
        }
      : { EMBEDDED_DB_FILE: ':memory:' }),
    ...env,
  });
}

export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const admin = { email: `admin-${uuidv7()}@test.example`, password: 'admin-password-123' };
  const config = testAppConfig(admin, env);
  const app = await createApp(config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const fastify = app.getHttpAdapter().getInstance();
  return {
    app,
    admin,
    request: (options) => fastify.inject(options),
    close: () => app.close(),
  };
}
