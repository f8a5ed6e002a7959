/**
 * The two servers of the bench and the handshake with the app: start the built app on the server profile (logs to
 * a file), start the bare Fastify baseline, register + log in a user. Shared by run-bench.mjs and
 * profile-hot-path.mjs so both measure the same configuration.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

import { freePort, spawnTracked } from './children.mjs';
import { prepareRedis, request, resetDatabase, waitForOk } from './setup.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SCENARIO_PATH = '/api/v1/users/me';

/** What `npm run bench -- --scenario=` can load (SPEC §6 names both as the cached reads). */
export const SCENARIOS = Object.freeze(['users-me', 'product', 'orders']);

/** The bench's own admin, bootstrapped by the app at start (ADMIN_EMAIL/ADMIN_PASSWORD) to create the product. */
const BENCH_ADMIN = Object.freeze({
  email: `bench-admin-${randomBytes(6).toString('hex')}@example.com`,
  password: `Bench-admin-${randomBytes(9).toString('base64url')}`,
});

/** A failure that should end the run with exit 1 and a clear message (and maybe the app's log tail). */
export class BenchError extends Error {
  /** @param {string} message @param {{ logPath?: string }} [options] logPath: print this log's tail */
  constructor(message, { logPath } = {}) {
    super(message);
    this.logPath = logPath;
  }
}

/** Split a command line on whitespace, honouring '…' and "…" (no escapes, no shell features). */
export function splitCommand(command) {
  const out = [];
  let current = '';
  let quote = null;
  let started = false;
  for (const ch of command) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) out.push(current);
      current = '';
      started = false;
    } else {
      current += ch;
      started = true;
    }
  }
  if (quote) throw new BenchError(`BENCH_APP_CMD has an unclosed ${quote}`);
  if (started) out.push(current);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// servers
// ---------------------------------------------------------------------------------------------------------

/**
 * Start the bare Fastify baseline and wait for its `BARE_READY {json}` line.
 * stdin is a pipe that the server watches, so it also dies if this process is SIGKILLed.
 */
export async function startBare() {
  const entry = spawnTracked(
    'bare-fastify',
    process.execPath,
    [path.join(ROOT, 'test/bench/bare-fastify-server.mjs'), '--exit-on-stdin-close'],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: /** @type {import('node:stream').Readable} */ (entry.child.stdout) });
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new BenchError('bare Fastify server did not report ready within 10 s')),
      10_000,
    );
    lines.on('line', (line) => {
      if (!line.startsWith('BARE_READY ')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line.slice('BARE_READY '.length)));
    });
    entry.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new BenchError(`bare Fastify server exited early (code ${code}, signal ${signal})`));
    });
  });
  const info = /** @type {{ port: number, fastify: string }} */ (await ready);
  return { entry, port: info.port, fastifyVersion: info.fastify, baseUrl: `http://127.0.0.1:${info.port}` };
}

/**
 * Start the raw mysql2 place-order baseline (raw-order-server.mjs) on the bench database with `poolSize`
 * connections and wait for its `RAW_READY {json}` line. Call it after `prepareOrders` (it loads the prices at start).
 */
export async function startRaw({ databaseUrl, poolSize }) {
  const entry = spawnTracked(
    'raw-orders',
    process.execPath,
    [
      path.join(ROOT, 'test/bench/raw-order-server.mjs'),
      `--database-url=${databaseUrl}`,
      `--pool-size=${poolSize}`,
      '--exit-on-stdin-close',
    ],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: /** @type {import('node:stream').Readable} */ (entry.child.stdout) });
  const info = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new BenchError('raw order server did not report ready within 10 s')), 10_000);
    lines.on('line', (line) => {
      if (!line.startsWith('RAW_READY ')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line.slice('RAW_READY '.length)));
    });
    entry.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new BenchError(`raw order server exited early (code ${code}, signal ${signal})`));
    });
  });
  return {
    entry,
    port: info.port,
    fastifyVersion: info.fastify,
    products: info.products,
    poolSize: info.poolSize,
    baseUrl: `http://127.0.0.1:${info.port}`,
  };
}

/**
 * Start the app on the server profile, stdout+stderr appended to a file. The child writes straight to the
 * file descriptor: no pipe through this process, so logging can neither block on a full pipe nor steal the
 * load generator's CPU, and the file shows exactly what the app wrote.
 * `nodeArgs`: extra Node flags (e.g. --cpu-prof); `env`: variables that override the bench's defaults.
 */
export async function startApp({ redisUrl, databaseUrl, logPath, nodeArgs = [], env: extraEnv = {} }) {
  const port = await freePort();
  // start:prod's V8 flag (the young generation's size), without the telemetry preload: the app as it runs in production.
  const command = process.env.BENCH_APP_CMD?.trim() || 'node --max-semi-space-size=16 dist/src/main.js';
  const [exe, ...commandArgs] = splitCommand(command);
  // Node flags (the profiler's) go right after a leading `node`; another launcher gets them through NODE_OPTIONS.
  const args = exe === 'node' ? [...nodeArgs, ...commandArgs] : commandArgs;
  if (!exe) throw new BenchError('BENCH_APP_CMD is empty');
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    MIGRATIONS_RUN: 'true',
    JWT_SECRET: randomBytes(36).toString('base64url'), // 48 characters
    PORT: String(port),
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MINUTE: '100000000',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    DEMO_DATA: 'false',
    ADMIN_EMAIL: BENCH_ADMIN.email,
    ADMIN_PASSWORD: BENCH_ADMIN.password,
    ...extraEnv,
  };
  if (exe !== 'node' && nodeArgs.length > 0)
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} ${nodeArgs.join(' ')}`.trim();
  if (redisUrl) env.REDIS_URL = redisUrl;
  else delete env.REDIS_URL;

  const logFd = openSync(logPath, 'a');
  const t0 = performance.now();
  let entry;
  try {
    entry = spawnTracked('app', exe === 'node' ? process.execPath : exe, args, {
      cwd: ROOT,
      env,
      stdio: ['ignore', logFd, logFd],
    });
  } finally {
    closeSync(logFd); // the child has its own copy
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  const ready = await waitForOk(baseUrl, '/health/ready', { timeoutMs: 30_000, hasExited: entry.hasExited });
  const startToReadyMs = performance.now() - t0;
  if (!ready.ok) {
    const exit = entry.hasExited() ? await entry.exited : null;
    const how = exit ? ` — exit code ${exit.code}${exit.signal ? `, signal ${exit.signal}` : ''}` : '';
    throw new BenchError(`the app did not become ready: ${ready.reason}${how}`, { logPath });
  }
  return { entry, port, baseUrl, command, startToReadyMs };
}

/**
 * Register + log in a fresh user (SPEC §4a) and check one authenticated read. Throws BenchError with the
 * offending status and body when the contract is not met.
 * @returns {Promise<{ email: string, password: string, logPath: string, accessToken: string,
 *   expiresAt: number, me: any, meBytes: number }>}
 */
export async function authenticate(baseUrl, logPath) {
  const email = `bench-${randomBytes(8).toString('hex')}@example.com`;
  const password = `Bench-${randomBytes(9).toString('base64url')}-9z`;
  const displayName = 'Bench User';

  const registered = await request(baseUrl, 'POST', '/api/v1/auth/register', {
    body: { email, password, displayName },
  });
  if (registered.status !== 201) {
    throw new BenchError(
      `POST /api/v1/auth/register → ${registered.status} (expected 201): ${registered.text.slice(0, 500)}`,
      { logPath },
    );
  }
  const session = await login(baseUrl, email, password, logPath);
  const me = await request(baseUrl, 'GET', SCENARIO_PATH, {
    headers: { authorization: `Bearer ${session.accessToken}` },
  });
  if (me.status !== 200 || me.json?.code !== 0 || me.json?.data?.email !== email) {
    throw new BenchError(
      `GET ${SCENARIO_PATH} → ${me.status} (expected 200 with code 0 and the registered email): ${me.text.slice(0, 500)}`,
      { logPath },
    );
  }
  return { email, password, logPath, ...session, me: me.json, meBytes: me.bytes };
}

/**
 * The request under load. `users-me`: the user's own profile. `product`: the admin creates a product and the
 * bench user reads it with their token, so the auth guard runs as on `/users/me` and the body comes from the
 * product cache (the first read fills it).
 * @returns {Promise<{ path: string, sample: any, sampleBytes: number, note: string }>}
 */
export async function prepareScenario(scenario, baseUrl, auth, logPath) {
  if (scenario === 'users-me')
    return { path: SCENARIO_PATH, sample: auth.me, sampleBytes: auth.meBytes, note: 'own profile' };
  const admin = await login(baseUrl, BENCH_ADMIN.email, BENCH_ADMIN.password, logPath);
  const created = await request(baseUrl, 'POST', '/api/v1/products', {
    headers: { authorization: `Bearer ${admin.accessToken}` },
    body: {
      sku: `BENCH-${randomBytes(4).toString('hex')}`,
      name: 'Bench mug',
      description: 'A product read by the bench',
      price: { amount: 1290, currency: 'EUR' },
    },
  });
  if (created.status !== 201) {
    throw new BenchError(`POST /api/v1/products → ${created.status} (expected 201): ${created.text.slice(0, 500)}`, {
      logPath,
    });
  }
  const path = `/api/v1/products/${created.json.data.id}`;
  const read = await request(baseUrl, 'GET', path, { headers: { authorization: `Bearer ${auth.accessToken}` } });
  if (read.status !== 200 || read.json?.data?.id !== created.json.data.id) {
    throw new BenchError(`GET ${path} → ${read.status} (expected 200 with the product): ${read.text.slice(0, 500)}`, {
      logPath,
    });
  }
  return {
    path,
    sample: read.json,
    sampleBytes: read.bytes,
    note: `product ${created.json.data.id} created by an admin`,
  };
}

/** The bench's admin (bootstrapped by the app at start) logged in. */
export function loginAdmin(baseUrl, logPath) {
  return login(baseUrl, BENCH_ADMIN.email, BENCH_ADMIN.password, logPath);
}

/** POST /api/v1/auth/login → { accessToken, expiresAt (epoch ms) }. */
export async function login(baseUrl, email, password, logPath) {
  const res = await request(baseUrl, 'POST', '/api/v1/auth/login', { body: { email, password } });
  const data = res.json?.data;
  if (
    res.status !== 200 ||
    res.json?.code !== 0 ||
    typeof data?.accessToken !== 'string' ||
    typeof data?.refreshToken !== 'string' ||
    data?.tokenType !== 'Bearer' ||
    typeof data?.expiresIn !== 'number'
  ) {
    throw new BenchError(
      `POST /api/v1/auth/login → ${res.status} (expected 200 with {code:0, data:{accessToken, refreshToken, tokenType:'Bearer', expiresIn}}): ${res.text.slice(0, 500)}`,
      { logPath },
    );
  }
  return { accessToken: data.accessToken, expiresAt: Date.now() + data.expiresIn * 1000 };
}

/** Keys of a JSON value, recursively ("data.roles" …), to compare the app's and the baseline's shapes. */
export function shape(value, prefix = '') {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.keys(value)
    .flatMap((k) => shape(value[k], prefix ? `${prefix}.${k}` : k))
    .sort();
}

// ---------------------------------------------------------------------------------------------------------
// phases of a run
// ---------------------------------------------------------------------------------------------------------

/** Recreate the database; PING/flush Redis unless disabled. */
export async function prepareServices(opts) {
  const databaseUrl = process.env.BENCH_DATABASE_URL || 'mysql://root@127.0.0.1:3306/orderly_bench';
  const redisCandidate = process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379/14';
  try {
    await resetDatabase(databaseUrl);
  } catch (err) {
    throw new BenchError(
      `cannot recreate the bench database (${databaseUrl}): ${err instanceof Error ? err.message : err}`,
    );
  }
  if (!opts.redis) return { databaseUrl, redisUrl: null, redisNote: 'disabled (--no-redis)' };
  const redis = await prepareRedis(redisCandidate);
  return redis.ok
    ? { databaseUrl, redisUrl: redisCandidate, redisNote: `${redisCandidate} (flushed)` }
    : { databaseUrl, redisUrl: null, redisNote: `not used: ${redisCandidate} did not answer PING (${redis.reason})` };
}
