// `npm test`: the whole suite against both runtime profiles (SPEC §2, §5), then one summary.
//
//   1. every vitest project (unit, arch, integration, e2e) with TEST_PROFILE=embedded;
//   2. integration + e2e again with TEST_PROFILE=server, when MariaDB answers (Redis is used when it answers too).
//
// The last line printed is always `N passed, N failed, N skipped` (totals of both runs; skipped = skip + todo) so
// tools can read the result. The exit code is non-zero when any run failed, a required profile could not run or no
// test ran at all; each such run-level problem also counts as one failure in that line.
//
// Environment: TEST_DATABASE_URL, TEST_REDIS_URL (empty = no Redis), REQUIRE_SERVER_PROFILE=1 (CI: a missing
// MariaDB is a failure, not a skipped profile), REQUIRE_REDIS=1 (CI: a missing Redis is a failure too).
// Extra arguments are passed to every vitest run (e.g. `npm test -- orders` to filter by file name).
//
// Plain ESM JavaScript on purpose: it runs before anything is built and needs no loader.

import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';

// Same defaults as test/support/test-profile.ts (a .ts file this script cannot import); keep both in step.
const DEFAULT_TEST_DATABASE_URL = 'mysql://root@127.0.0.1:3306/orderly_test';
const DEFAULT_TEST_REDIS_URL = 'redis://127.0.0.1:6379/15';

const PROBE_TIMEOUT_MS = 1_000;
const MYSQL_CONNECT_TIMEOUT_MS = 3_000;

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
// vitest's own entry, started with this very Node binary: `npx`/PATH lookups could pick the system's Node 20.
const vitestEntry = join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');
const extraArgs = process.argv.slice(2);

const requireServer = process.env.REQUIRE_SERVER_PROFILE === '1';
const requireRedis = process.env.REQUIRE_REDIS === '1';
const databaseUrl = nonEmpty(process.env.TEST_DATABASE_URL) ?? DEFAULT_TEST_DATABASE_URL;
const redisUrl =
  process.env.TEST_REDIS_URL === undefined ? DEFAULT_TEST_REDIS_URL : nonEmpty(process.env.TEST_REDIS_URL);

// Ctrl-C reaches vitest directly (same process group): the runner only waits for it and then reports.
// SIGTERM (a CI timeout, `kill`) reaches only this process: pass it on so vitest is not left running.
let interrupted = false;
/** @type {import('node:child_process').ChildProcess | undefined} */
let currentChild;
process.on('SIGINT', () => {
  interrupted = true;
});
process.on('SIGTERM', () => {
  interrupted = true;
  currentChild?.kill('SIGTERM');
});

const workDir = await mkdtemp(join(tmpdir(), 'orderly-tests-'));
/** @type {RunResult[]} */
const runs = [];
/** @type {string[]} */
const problems = [];
/** Why the server profile did not run, for the summary. */
let serverSkipReason = 'interrupted';

try {
  runs.push(
    await runVitest({
      name: 'embedded',
      label: 'embedded',
      // Every test project; `bench` (measurements, not tests) runs only through `npm run bench:outbox`.
      projectArgs: ['--project', 'unit', '--project', 'arch', '--project', 'integration', '--project', 'e2e'],
      env: { TEST_PROFILE: 'embedded' },
    }),
  );

  if (!interrupted) {
    const server = await probeServerProfile();
    if (server.database.ok) {
      const redisNote = server.redis.ok ? 'redis: yes' : `redis: no (${server.redis.reason})`;
      if (!server.redis.ok && requireRedis) {
        problems.push(`REQUIRE_REDIS=1 but Redis did not answer at ${redact(redisUrl ?? '')}: ${server.redis.reason}`);
      }
      runs.push(
        await runVitest({
          name: 'server',
          label: `server (mariadb ${server.database.version}, ${redisNote})`,
          projectArgs: ['--project', 'integration', '--project', 'e2e'],
          env: {
            TEST_PROFILE: 'server',
            TEST_DATABASE_URL: databaseUrl,
            TEST_REDIS_URL: server.redis.ok ? (redisUrl ?? '') : '',
          },
        }),
      );
    } else {
      serverSkipReason = server.database.reason;
      const message =
        `SERVER PROFILE NOT RUN: MariaDB/MySQL at ${redact(databaseUrl)} could not be prepared ` +
        `(${server.database.reason}). Integration and e2e tests ran against the embedded profile only.`;
      console.error(`\n${banner('server profile skipped')}\n${message}`);
      if (requireServer) {
        problems.push(`REQUIRE_SERVER_PROFILE=1 but the server profile could not run: ${server.database.reason}`);
      } else {
        console.error('Set REQUIRE_SERVER_PROFILE=1 to make this a failure (CI does).');
      }
    }
  }
} finally {
  await rm(workDir, { recursive: true, force: true });
}

process.exit(printSummary());

/**
 * @typedef {{ passed: number, failed: number, skipped: number }} Counts
 * @typedef {{ name: string, label: string, exitCode: number, seconds: number, counts: Counts, notes: string[] }}
 *   RunResult
 * @typedef {{ numPassedTests?: number, numFailedTests?: number, numPendingTests?: number, numTodoTests?: number,
 *   testResults?: Array<{ name: string, status: string, assertionResults?: Array<{ status: string }> }> }}
 *   VitestJsonReport the part of vitest's `json` reporter output read here (Jest-compatible field names)
 */

/**
 * One `vitest run`, output streamed to this terminal, counts read back from its JSON report.
 * @param {{ name: string, label: string, projectArgs: string[], env: Record<string, string> }} run
 * @returns {Promise<RunResult>}
 */
async function runVitest({ name, label, projectArgs, env }) {
  const reportFile = join(workDir, `${name}.json`);
  const args = [
    vitestEntry,
    'run',
    ...projectArgs,
    // `vitest run` exits 1 on "No test files found" (e.g. a project with no tests yet, or a filter);
    // an empty run is caught below by the total instead.
    '--passWithNoTests',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${reportFile}`,
    ...extraArgs,
  ];
  console.log(`\n${banner(`vitest: ${label}`)}`);

  const childEnv = { ...process.env, ...env };
  // Tests get their database only through test/support/test-profile.ts; a developer's DATABASE_URL or
  // REDIS_URL must never reach an app booted by a test (the embedded run would silently hit that server).
  delete childEnv.DATABASE_URL;
  delete childEnv.REDIS_URL;

  const started = performance.now();
  const exitCode = await new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, env: childEnv, stdio: 'inherit' });
    currentChild = child;
    child.on('error', (error) => {
      console.error(`could not start vitest: ${error.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  const seconds = (performance.now() - started) / 1000;

  const { counts, notes } = await readReport(reportFile);
  // The exit code is the authority: a crash, an unhandled error or a file that failed to import can leave every
  // counted test green. Count such a run as one failure so the last line never reads "0 failed" for a red run.
  if (exitCode !== 0 && counts.failed === 0) {
    counts.failed = 1;
    notes.push(`vitest exited with ${exitCode} without a failing test: counted as 1 failure (see output above)`);
  }
  return { name, label, exitCode, seconds, counts, notes };
}

/**
 * @param {string} file
 * @returns {Promise<{ counts: Counts, notes: string[] }>}
 */
async function readReport(file) {
  /** @type {Counts} */
  const counts = { passed: 0, failed: 0, skipped: 0 };
  /** @type {string[]} */
  const notes = [];
  /** @type {VitestJsonReport} */
  let report;
  try {
    report = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    notes.push(`no JSON report (${errorMessage(error)})`);
    return { counts, notes };
  }
  counts.passed = report.numPassedTests ?? 0;
  counts.failed = report.numFailedTests ?? 0;
  counts.skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A file that fails before its tests are collected (syntax error, failing import, throwing beforeAll in some
  // versions) has no failed test but a failed file: count each such file as one failure.
  for (const file of report.testResults ?? []) {
    const failedTests = (file.assertionResults ?? []).filter((test) => test.status === 'failed').length;
    if (file.status === 'failed' && failedTests === 0) {
      counts.failed += 1;
      notes.push(`file failed outside any test: ${relative(file.name)}`);
    }
  }
  return { counts, notes };
}

/**
 * Prepares the server profile: a fresh, empty test database (tests run the migrations themselves) and a Redis probe.
 * @returns {Promise<{ database: { ok: true, version: string } | { ok: false, reason: string },
 *   redis: { ok: true } | { ok: false, reason: string } }>}
 */
async function probeServerProfile() {
  const [database, redis] = await Promise.all([prepareDatabase(), probeRedis()]);
  return { database, redis };
}

/** @returns {Promise<{ ok: true, version: string } | { ok: false, reason: string }>} */
async function prepareDatabase() {
  let url;
  try {
    url = new URL(databaseUrl);
  } catch {
    return { ok: false, reason: 'TEST_DATABASE_URL is not a valid URL' };
  }
  if (url.protocol !== 'mysql:') {
    return { ok: false, reason: `TEST_DATABASE_URL must be mysql://…, got ${url.protocol}//…` };
  }
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  // This database is dropped on every run: accept only a plain identifier that says it is for tests, so a
  // TEST_DATABASE_URL pasted from a real environment cannot wipe real data.
  if (!/^[A-Za-z0-9_]+$/.test(name) || !/test/i.test(name)) {
    return {
      ok: false,
      reason: `refusing to drop database "${name}": its name must be [A-Za-z0-9_] and contain "test"`,
    };
  }

  let connection;
  try {
    // Connect to the server without selecting the database: it may not exist yet.
    connection = await mysql.createConnection({
      host: url.hostname || '127.0.0.1',
      port: url.port ? Number(url.port) : 3306,
      user: decodeURIComponent(url.username) || 'root',
      password: url.password ? decodeURIComponent(url.password) : undefined,
      connectTimeout: MYSQL_CONNECT_TIMEOUT_MS,
    });
    const [rows] = await connection.query('SELECT VERSION() AS version');
    const version = String(/** @type {Array<{ version: string }>} */ (rows)[0]?.version ?? 'unknown');
    await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
    // utf8mb4 explicitly: MariaDB on these machines defaults to latin1 (TOOLCHAIN.md).
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    return { ok: true, version };
  } catch (error) {
    return { ok: false, reason: errorMessage(error) };
  } finally {
    await connection?.end().catch(() => undefined);
  }
}

/** @returns {Promise<{ ok: true } | { ok: false, reason: string }>} */
async function probeRedis() {
  if (redisUrl === undefined) {
    return { ok: false, reason: 'TEST_REDIS_URL is empty' };
  }
  /** @type {Redis | undefined} */
  let redis;
  /** @type {unknown} */
  let lastError;
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  try {
    redis = new Redis(redisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: PROBE_TIMEOUT_MS,
      // A probe: one attempt, no reconnect loop keeping this process alive.
      retryStrategy: () => null,
    });
    // Without a listener ioredis reports connection errors as unhandled 'error' events.
    redis.on('error', (error) => {
      lastError = error;
    });
    const client = redis;
    const work = (async () => {
      await client.connect();
      const pong = await client.ping();
      if (pong !== 'PONG') throw new Error(`PING answered ${pong}`);
      // Start from an empty keyspace like the database, so rate-limit counters or cached entries of a previous
      // run cannot leak into this one. Only a database chosen explicitly (redis://…/15) and never 0, which is
      // where a developer's own data would sit.
      const db = Number(new URL(redisUrl).pathname.replace(/^\//, '') || '0');
      if (Number.isInteger(db) && db > 0) await client.flushdb();
    })();
    // If the timeout wins, `work` may still reject later: that must not become an unhandled rejection.
    work.catch(() => undefined);
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
    });
    await Promise.race([work, timeout]);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: errorMessage(lastError ?? error) };
  } finally {
    clearTimeout(timer);
    redis?.disconnect();
  }
}

/** @returns {number} the process exit code */
function printSummary() {
  const total = { passed: 0, failed: 0, skipped: 0 };
  console.log(`\n${banner('test summary')}`);
  for (const run of runs) {
    total.passed += run.counts.passed;
    total.failed += run.counts.failed;
    total.skipped += run.counts.skipped;
    console.log(
      `${run.exitCode === 0 ? 'ok  ' : 'FAIL'} ${run.label}: ${formatCounts(run.counts)} ` +
        `(exit ${run.exitCode}, ${run.seconds.toFixed(1)} s)`,
    );
    for (const note of run.notes) console.log(`       ${note}`);
  }
  if (!runs.some((run) => run.name === 'server')) {
    console.log(`skip server: not run (${serverSkipReason})${requireServer ? ' — REQUIRED' : ''}`);
  }
  if (total.passed + total.failed === 0) problems.push('no test ran at all');
  if (interrupted) problems.push('interrupted');
  // A run-level problem (required profile missing, nothing ran) counts as one failure, so the last line reads
  // "0 failed" exactly when the exit code is 0.
  for (const problem of problems) console.log(`FAIL ${problem}`);
  total.failed += problems.length;

  // Keep this the very last line: scripts and people read the result from it.
  console.log(formatCounts(total));
  return total.failed > 0 || runs.some((run) => run.exitCode !== 0) ? 1 : 0;
}

/** @param {Counts} counts */
function formatCounts({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed, ${skipped} skipped`;
}

/** @param {string} title */
function banner(title) {
  return `──── ${title} ${'─'.repeat(Math.max(4, 72 - title.length))}`;
}

/** Hides the password when a URL is printed. @param {string} value */
function redact(value) {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return value;
  }
}

/** @param {string} absolute */
function relative(absolute) {
  return absolute.startsWith(repoRoot) ? absolute.slice(repoRoot.length) : absolute;
}

/**
 * @param {unknown} error
 * @returns {string}
 */
function errorMessage(error) {
  if (error instanceof AggregateError && error.errors.length > 0) {
    // mysql2/net report ECONNREFUSED on 127.0.0.1 and ::1 as one AggregateError with an empty message.
    return error.errors.map(errorMessage).join('; ');
  }
  if (error instanceof Error) {
    const code = /** @type {{ code?: unknown }} */ (error).code;
    const message = error.message || String(code ?? error.name);
    return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
  }
  return String(error);
}

/** @param {string | undefined} value */
function nonEmpty(value) {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
