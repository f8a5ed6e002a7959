/**
 * Which runtime profile (SPEC §2) an integration or e2e test runs against.
 *
 * The whole suite runs once per profile: `npm test` (test/run-tests.mjs) runs it with `TEST_PROFILE=embedded`,
 * then again with `TEST_PROFILE=server` when MariaDB answers. Tests never read `DATABASE_URL` / `REDIS_URL`
 * directly: they ask this module, so one switch moves every test between profiles and a developer's own
 * `DATABASE_URL` can never point a test run at a real database.
 */

export type TestProfile = { kind: 'embedded' } | { kind: 'server'; databaseUrl: string; redisUrl: string | undefined };

// Defaults match the services on the project machine and in CI (TOOLCHAIN.md): local MariaDB as root without a
// password, and Redis database 15 so tests never share keys with a developer's database 0. The runner repeats these
// two values (it is plain JS and cannot import this file); keep both in step.
export const DEFAULT_TEST_DATABASE_URL = 'mysql://root@127.0.0.1:3306/orderly_test';
export const DEFAULT_TEST_REDIS_URL = 'redis://127.0.0.1:6379/15';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the profile from the environment: `TEST_PROFILE` (`embedded`, the default, or `server`),
 * `TEST_DATABASE_URL` and `TEST_REDIS_URL` (an empty string means "no Redis": the server profile then uses the
 * in-process adapters, exactly as the app does without `REDIS_URL`).
 *
 * `env` is a parameter only so this function can be tested; callers use the default.
 */
export function testProfile(env: Env = process.env): TestProfile {
  const kind = (env.TEST_PROFILE ?? '').trim() || 'embedded';
  if (kind === 'embedded') {
    return { kind: 'embedded' };
  }
  if (kind !== 'server') {
    // A typo must not silently fall back to the embedded profile and report a green server run.
    throw new Error(`TEST_PROFILE must be "embedded" or "server", got "${kind}"`);
  }

  const databaseUrl = nonEmpty(env.TEST_DATABASE_URL) ?? DEFAULT_TEST_DATABASE_URL;
  assertUrl('TEST_DATABASE_URL', databaseUrl, ['mysql:']);

  // `undefined` (unset) takes the default; only an explicit empty string switches Redis off.
  const rawRedisUrl = env.TEST_REDIS_URL === undefined ? DEFAULT_TEST_REDIS_URL : env.TEST_REDIS_URL.trim();
  const redisUrl = rawRedisUrl === '' ? undefined : rawRedisUrl;
  if (redisUrl !== undefined) {
    assertUrl('TEST_REDIS_URL', redisUrl, ['redis:', 'rediss:']);
  }

  return { kind: 'server', databaseUrl, redisUrl };
}

/**
 * A test title carrying the profile, e.g. `describe(describeProfile('orders API'), …)` gives
 * `orders API [server: mariadb+redis]`, so a failure in the runner's output says which profile broke.
 * With an empty name it returns the bare label (`[embedded]`).
 */
export function describeProfile(name: string, profile: TestProfile = testProfile()): string {
  const label = profileLabel(profile);
  return name === '' ? label : `${name} ${label}`;
}

function profileLabel(profile: TestProfile): string {
  switch (profile.kind) {
    case 'embedded':
      return '[embedded]';
    case 'server':
      return profile.redisUrl === undefined ? '[server: mariadb]' : '[server: mariadb+redis]';
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

// Fail at the first test with the variable's name rather than deep inside a driver with a cryptic parse error.
function assertUrl(variable: string, value: string, protocols: readonly string[]): void {
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    throw new Error(`${variable} is not a valid URL: "${value}"`);
  }
  if (!protocols.includes(protocol)) {
    throw new Error(`${variable} must use ${protocols.join(' or ')}, got "${value}"`);
  }
}
