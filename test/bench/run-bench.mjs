#!/usr/bin/env node
/**
 * `npm run bench` — SPEC §6, "realistic pipeline" target, measured the way the spec states it: in ONE run on
 * ONE machine, as a ratio to a bare Fastify handler, so that the figure means the same on a laptop and on
 * the 2-core CI machine.
 *
 * What it does:
 *   1. recreates the `orderly_bench` MySQL/MariaDB database (and flushes Redis db 14 when Redis answers);
 *   2. starts the built app (server profile, request logging on, logs to a file in the temp dir) and times
 *      start → `GET /health/ready` 200; starts the bare Fastify baseline (test/bench/bare-fastify-server.mjs);
 *   3. registers and logs in a user, checks one authenticated `GET /api/v1/users/me`;
 *   4. loads bare, app, bare, app… (wrk with 1 thread when installed, else autocannon in worker threads;
 *      50 connections, pipelining 1, a discarded warm-up before every measurement); both servers stay up, only
 *      one is loaded at a time, so each sees the same machine state, and alternating spreads slow drifts
 *      (thermal, other tenants) over both sides. A phase during which other processes used more than 0.2 cores
 *      is measured again (--noise-retries), and the quietest attempt is kept;
 *   5. proves the generator's headroom: its CPU is in every row, and the baseline is measured once more with a
 *      second generator thread — if that raises the baseline's rate by more than 5 %, the generator was the
 *      bottleneck and the ratio is flagged as not valid;
 *   6. prints a per-round table, the medians, the ratio app/bare, start-to-ready, idle/after-load RSS, and a
 *      final `BENCH_RESULT {json}` line; writes the same text, the JSON and an SVG chart of the ratios to
 *      bench-results/latest.{txt,json,svg} (git-ignored; --out=DIR elsewhere).
 *
 * Options (after `npm run bench --`):
 *   --duration=N     measured seconds per phase (default 10)
 *   --warmup=N       discarded warm-up seconds before each measurement (default 3)
 *   --rounds=N       bare/app pairs (default 3); medians are reported
 *   --connections=N  concurrent connections (default 50, the spec's figure)
 *   --no-redis       do not give the app REDIS_URL even when Redis answers
 *   --noise-retries=N  re-measure a phase disturbed by other processes up to N times (default 2)
 *   --out=DIR        where latest.{txt,json,svg} go (default bench-results)
 *   --keep-log       keep the app's log file (deleted after a successful run otherwise)
 *   --strict         exit 3 when a SPEC §6 target is missed (default: report only, exit 0)
 *   --profile        instead of the comparison: the app alone under `node --cpu-prof`, and a table of µs per
 *                    request for each piece of the pipeline (profile-hot-path.mjs; its options follow it)
 *   --scenario=S     what is loaded: `users-me` (default, GET /api/v1/users/me) or `product` (an authenticated
 *                    GET /api/v1/products/:id, served from the product cache); both are SPEC §6 "cached reads"
 *   --scenario=orders  POST /api/v1/orders end to end vs the raw mysql2 place-order transaction
 *                    (raw-order-server.mjs; lib/orders.mjs; needs wrk); --products=N, --users=N
 *   --soak           the order-path soak (soak-orders.mjs): the app alone, --duration 300 s and --connections 64
 *                    unless given, in --window=N second windows (default 10)
 * Environment:
 *   BENCH_APP_CMD       how to start the app (default `node --max-semi-space-size=16 dist/src/main.js`, start:prod without telemetry; run from the repo root;
 *                       a leading `node` is replaced by this Node binary; simple quoting is understood)
 *   BENCH_DATABASE_URL  default mysql://root@127.0.0.1:3306/orderly_bench (the db name must contain "bench")
 *   BENCH_REDIS_URL     default redis://127.0.0.1:6379/14
 *   BENCH_GENERATOR     wrk | autocannon (default: wrk when on PATH)
 *   Other variables (DB_POOL_SIZE, OTEL_*, …) pass through to the app unchanged.
 * Exit codes: 0 ok, 1 failure (app did not start, handshake failed, non-2xx/errors under load), 2 bad usage,
 *   3 target missed with --strict.
 */
import { existsSync, mkdirSync, mkdtempSync, statSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { grepTail, installCleanupHandlers, stopAll, stopTracked, tailFile, treeMemory } from './lib/children.mjs';
import { benchChart } from './lib/chart.mjs';
import { cleanupLoad, pickGenerator, runLoad, wrkVersion } from './lib/load.mjs';
import { Table, dec, int, mb, median, round } from './lib/report.mjs';
import {
  BenchError,
  ROOT,
  SCENARIOS,
  authenticate,
  prepareScenario,
  login,
  prepareServices,
  shape,
  startApp,
  startBare,
  startRaw,
} from './lib/servers.mjs';
import {
  backlog,
  connect,
  dbCounters,
  perRequest,
  placeOne,
  prepareOrders,
  refreshSessions,
  sagaLatency,
  waitForDrain,
  wrkOrderScript,
} from './lib/orders.mjs';
import { request } from './lib/setup.mjs';

/** The path under load: set once in main() from --scenario (the bare server answers the same path). */
let SCENARIO_PATH = '/api/v1/users/me';

/** SPEC §6 targets checked by this scenario (the order path: ratio ≥ 0.5, no p99 target on the POST itself). */
let TARGETS = Object.freeze({
  ratioMin: 0.4,
  p99MaxMs: 25,
  startToReadyMaxMs: 2000,
  idleRssMaxBytes: 200 * 1024 * 1024,
});
const ORDER_TARGETS = Object.freeze({ ...TARGETS, ratioMin: 0.5, p99MaxMs: null });

// ---------------------------------------------------------------------------------------------------------
// arguments
// ---------------------------------------------------------------------------------------------------------

/** The --help text (kept short; the header comment above has the why). */
const HELP = `Usage: npm run bench [-- options]   (or, after npm run build: node test/bench/run-bench.mjs [options])
  --duration=N     measured seconds per phase (default 10)
  --warmup=N       discarded warm-up seconds before each measurement (default 3)
  --rounds=N       bare/app pairs; medians are reported (default 3)
  --connections=N  concurrent connections (default 50)
  --no-redis       do not give the app REDIS_URL even when Redis answers
  --noise-retries=N  re-measure a phase disturbed by other processes up to N times (default 2)
  --out=DIR        where latest.{txt,json,svg} are written (default bench-results)
  --keep-log       keep the app's log file
  --strict         exit 3 when a SPEC §6 target is missed
  --profile        profile the app under load instead (node --cpu-prof; µs per request per piece)
  --scenario=S     users-me (GET /api/v1/users/me, default), product (GET /api/v1/products/:id, cached) or
                   orders (POST /api/v1/orders vs the raw mysql2 place-order transaction; needs wrk)
  --products=N     orders: products ordered at random (default 100; 1 = one hot stock row)
  --users=N        orders: users whose tokens the requests rotate over (default 8)
  --soak           order-path soak: the app alone, 300 s at 64 connections unless --duration/--connections
                   are given, in windows of --window=N s (default 10); RSS growth, p99 drift, backlog → 0
Env: BENCH_APP_CMD (default "node --max-semi-space-size=16 dist/src/main.js"), BENCH_DATABASE_URL, BENCH_REDIS_URL,
     BENCH_GENERATOR (wrk | autocannon; default wrk when installed)`;

/** Parse argv into options; exits 2 on anything unknown (a typo must not silently run the defaults). */
function parseArgs(argv) {
  const opts = {
    durationS: 10,
    warmupS: 3,
    rounds: 3,
    connections: 50,
    redis: true,
    noiseRetries: 2,
    outDir: 'bench-results',
    keepLog: false,
    strict: false,
    soak: false,
    scenario: 'users-me',
    products: 100,
    users: 8,
    windowS: 10,
    /** @type {Set<string>} options given on the command line */
    given: new Set(),
  };
  const positiveInt = (name, raw, min) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) {
      console.error(`[bench] ${name} must be an integer ≥ ${min}, got "${raw}"`);
      process.exit(2);
    }
    return n;
  };
  for (const arg of argv) {
    const [key, value] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    switch (key) {
      case '--duration':
        opts.durationS = positiveInt(key, value, 1);
        break;
      case '--warmup':
        opts.warmupS = positiveInt(key, value, 0);
        break;
      case '--rounds':
        opts.rounds = positiveInt(key, value, 1);
        break;
      case '--connections':
        opts.connections = positiveInt(key, value, 1);
        break;
      case '--no-redis':
        opts.redis = false;
        break;
      case '--noise-retries':
        opts.noiseRetries = positiveInt(key, value, 0);
        break;
      case '--out':
        if (!value) {
          console.error('[bench] --out needs a directory');
          process.exit(2);
        }
        opts.outDir = value;
        break;
      case '--keep-log':
        opts.keepLog = true;
        break;
      case '--strict':
        opts.strict = true;
        break;
      case '--soak':
        opts.soak = true;
        break;
      case '--scenario':
        if (!SCENARIOS.includes(value)) {
          console.error(`[bench] --scenario must be one of ${SCENARIOS.join(', ')}, got "${value}"`);
          process.exit(2);
        }
        opts.scenario = value;
        break;
      case '--window':
        opts.windowS = positiveInt(key, value, 1);
        break;
      case '--products':
        opts.products = positiveInt(key, value, 1);
        break;
      case '--users':
        opts.users = positiveInt(key, value, 1);
        break;
      case '--help':
      case '-h':
        console.log(HELP);
        process.exit(0);
        break;
      default:
        console.error(`[bench] unknown option "${arg}"\n${HELP}`);
        process.exit(2);
    }
    opts.given.add(key);
  }
  return opts;
}

/** A phase counts as disturbed when processes outside the bench used more than this many cores. */
const NOISY_OTHER_CORES = 0.2;
/**
 * The baseline may gain at most this much with a second generator thread before the ratio is declared invalid.
 * Two bare phases with the same generator differ by up to ±5 % on the 2-core machine, so a tighter bound would
 * flag noise; a generator-bound baseline shows as +50 % and more (autocannon in-process: 18k → 55k req/s).
 * The conservative ratio (against the best baseline seen, 2 threads included) is printed as well.
 */
const HEADROOM_TOLERANCE = 0.1;

const ROUND_TABLE = new Table([
  { title: 'round', width: 5 },
  { title: 'target', width: 6, align: 'left' },
  { title: 'gen', width: 6, align: 'left' },
  { title: 'req/s', width: 8 },
  { title: 'p50 ms', width: 6 },
  { title: 'p99 ms', width: 6 },
  { title: 'max ms', width: 7 },
  { title: 'srv µs/req', width: 10 },
  { title: 'srv cores', width: 9 },
  { title: 'gen cores', width: 9 },
  { title: 'svc cores', width: 9 },
  { title: 'others', width: 6 },
  { title: 'load', width: 4 },
  { title: 'RSS MB', width: 6 },
  { title: 'non-2xx/err', width: 11 },
]);

/** One table row from a load result (or a median summary of several). */
function roundRow(label, target, r, failures = '') {
  return ROUND_TABLE.line([
    label,
    target,
    r.generator ? `${r.generator === 'wrk' ? 'wrk' : 'ac'}×${r.threads}` : '',
    int(r.rps),
    dec(r.p50),
    dec(r.p99),
    dec(r.maxMs, 1),
    dec(r.serverCpuUsPerReq, 1),
    dec(r.serverCores, 2),
    dec(r.genCores, 2),
    dec(r.serviceCores, 2),
    dec(r.otherCores, 2),
    r.loadavg === undefined ? '' : dec(r.loadavg, 1),
    r.serverRss ? (r.serverRss / 1048576).toFixed(0) : '',
    failures,
  ]);
}

/**
 * One measured phase (after its warm-up), re-measured up to `noiseRetries` times when processes outside the bench
 * used more than NOISY_OTHER_CORES meanwhile; the quietest attempt is returned with the number of attempts.
 * @returns {Promise<{ result: import('./lib/load.mjs').LoadResult, attempts: number,
 *   all: import('./lib/load.mjs').LoadResult[] }>}
 */
async function measureQuietly(base, opts) {
  const all = [];
  for (let attempt = 0; attempt <= opts.noiseRetries; attempt++) {
    const r = await runLoad({ ...base, durationS: opts.durationS });
    all.push(r);
    if (r.otherCores <= NOISY_OTHER_CORES) break;
  }
  const quietest = all.reduce((best, r) => (r.otherCores < best.otherCores ? r : best));
  return { result: quietest, attempts: all.length, all };
}

/**
 * bare, app, bare, app…: a discarded warm-up then a measurement for each, one server loaded at a time; then the
 * headroom check (the baseline again with one more generator thread). Both targets get the same request bytes
 * (the Authorization header too; the bare handler ignores it). Every phase's non-2xx responses, errors and
 * timeouts are collected, warm-ups included.
 */
async function loadRounds({ opts, app, bare, auth, logSize, generator, log, orders = null }) {
  /** @type {{ bare: import('./lib/load.mjs').LoadResult[], app: import('./lib/load.mjs').LoadResult[] }} */
  const measured = { bare: [], app: [] };
  /** @type {string[]} */
  const problems = [];
  let appLogBytes = 0;
  let appLogRequests = 0;
  let retried = 0;

  const baseFor = async (target, threads) => {
    const server = target === 'app' ? app : bare;
    const idle = target === 'app' ? bare : app;
    // a long run (many rounds, long durations) must not cross the access token's expiry
    const marginMs = (opts.warmupS + opts.durationS * (opts.noiseRetries + 1) + 180) * 1000;
    if (Date.now() + marginMs > auth.expiresAt) {
      Object.assign(auth, await login(app.baseUrl, auth.email, auth.password, auth.logPath));
    }
    if (orders) await refreshSessions(app.baseUrl, orders.sessions, marginMs);
    return {
      generator,
      url: `${server.baseUrl}${SCENARIO_PATH}`,
      headers: orders ? {} : { authorization: `Bearer ${auth.accessToken}` },
      requestLua: orders
        ? wrkOrderScript({ tokens: orders.sessions.map((s) => s.accessToken), productIds: orders.productIds })
        : undefined,
      connections: opts.connections,
      threads,
      serverPid: server.entry.pid,
      otherPids: [idle.entry.pid],
    };
  };
  const check = (target, label, phase, r) => {
    if (r.non2xx + r.errors + r.timeouts > 0 || r.requests === 0) {
      problems.push(
        `${target} ${label} ${phase}: ${r.requests} responses, non-2xx ${r.non2xx}, errors ${r.errors}, ` +
          `timeouts ${r.timeouts}`,
      );
    }
  };

  log(ROUND_TABLE.header());
  for (let roundNo = 1; roundNo <= opts.rounds; roundNo++) {
    for (const target of /** @type {const} */ (['bare', 'app'])) {
      const server = target === 'bare' ? bare : app;
      const base = await baseFor(target, 1);
      if (opts.warmupS > 0)
        check(target, `round ${roundNo}`, 'warm-up', await runLoad({ ...base, durationS: opts.warmupS }));
      // the order path: the warm-up's saga backlog is drained before measuring, so each phase starts alike
      if (orders && target === 'app') await waitForDrain(orders.db, performance.now());
      const countersBefore = orders ? await dbCounters(orders.db) : null;
      const windowFrom = Date.now();
      const logBefore = logSize();
      const { result, attempts, all } = await measureQuietly(base, opts);
      const requests = all.reduce((sum, r) => sum + r.requests, 0);
      if (target === 'app') {
        appLogBytes += logSize() - logBefore;
        appLogRequests += requests;
      }
      retried += attempts - 1;
      for (const r of all) check(target, `round ${roundNo}`, 'measure', r);
      measured[target].push(result);
      const mark = attempts > 1 ? `${roundNo}*${attempts}` : roundNo;
      log(roundRow(mark, target, result, `${result.non2xx}/${result.errors + result.timeouts}`));
      if (orders) {
        const stoppedAt = performance.now();
        if (target === 'app') {
          orders.windows.push({ from: windowFrom, to: Date.now() });
          const left = await backlog(orders.db, true);
          const drainMs = await waitForDrain(orders.db, stoppedAt);
          const last = all[all.length - 1];
          const sustained = drainMs === null ? null : last.requests / (last.durationS + drainMs / 1000);
          orders.drains.push({ drainMs, sustained, outboxLeft: left.outbox, pendingLeft: left.pending });
          log(
            `      saga: ${left.pending} orders PENDING and ${left.outbox} outbox rows undelivered when the load ` +
              `stopped; drained in ${drainMs === null ? '> 120 s' : `${int(drainMs)} ms`} → ` +
              `${int(sustained)} orders/s placed AND confirmed`,
          );
          if (drainMs === null) problems.push(`app round ${roundNo}: the saga backlog did not drain within 120 s`);
        }
        orders.dbPerReq[target].push(perRequest(countersBefore, await dbCounters(orders.db), requests));
      }
      if (server.entry.hasExited()) {
        problems.push(`${target} server exited during round ${roundNo}`);
        return { measured, problems, logBytesPerRequest: null, headroom: null, retried };
      }
    }
  }

  // --- headroom: does the baseline go faster when the generator gets a second thread? ---------------------
  const boostedBase = await baseFor('bare', 2);
  if (opts.warmupS > 0)
    check('bare', 'headroom', 'warm-up', await runLoad({ ...boostedBase, durationS: opts.warmupS }));
  const boosted = await measureQuietly(boostedBase, opts);
  for (const r of boosted.all) check('bare', 'headroom', 'measure', r);
  retried += boosted.attempts - 1;
  log(
    roundRow(
      boosted.attempts > 1 ? `hr*${boosted.attempts}` : 'hr',
      'bare',
      boosted.result,
      `${boosted.result.non2xx}/${boosted.result.errors + boosted.result.timeouts}`,
    ),
  );

  return {
    measured,
    problems,
    logBytesPerRequest: appLogRequests > 0 ? appLogBytes / appLogRequests : null,
    headroom: boosted.result,
    retried,
  };
}

/** Medians over rounds (max: worst of all rounds). */
function summarise(results) {
  const med = (key) => median(results.map((r) => r[key]));
  return {
    generator: results[0]?.generator,
    threads: results[0]?.threads,
    rps: med('rps'),
    p50: med('p50'),
    p99: med('p99'),
    maxMs: results.length ? Math.max(...results.map((r) => r.maxMs)) : null,
    serverCpuUsPerReq: med('serverCpuUsPerReq'),
    serverCores: med('serverCores'),
    genCpuUsPerReq: med('genCpuUsPerReq'),
    genCores: med('genCores'),
    serviceCores: med('serviceCores'),
    otherCores: med('otherCores'),
    loadavg: med('loadavg'),
  };
}

/**
 * The headroom verdict: the generator had capacity to spare when (a) the baseline did not gain more than
 * HEADROOM_TOLERANCE with a second generator thread and (b) the one-thread generator was not pegged (< 0.9 of
 * its core). Both are needed: on 2 cores a second thread also takes CPU from the server, so (a) alone could
 * hide a saturated generator.
 * `lastBare` (the order path only): the baseline's last round, measured right before the 2-thread phase. The raw
 * place-order baseline is bound by the database's commits, and its rate follows the machine's load from minute to
 * minute (×2 between rounds on a busy machine, with the generator at 0.03 of its core): there the gain also counts
 * against the adjacent measurement, and the smaller of the two gains decides — a generator-bound baseline gains
 * against both. The generator-CPU condition (b) is unchanged.
 */
function headroomVerdict(bareSum, boosted, lastBare = null) {
  if (!boosted || !bareSum.rps) return { ok: null, gain: null, genBusy: null, gainAdjacent: null };
  const gain = boosted.rps / bareSum.rps - 1;
  const gainAdjacent = lastBare?.rps ? boosted.rps / lastBare.rps - 1 : null;
  const decisive = gainAdjacent === null ? gain : Math.min(gain, gainAdjacent);
  const genBusy = bareSum.genCores / (bareSum.threads || 1);
  return { ok: decisive <= HEADROOM_TOLERANCE && genBusy < 0.9, gain, genBusy, gainAdjacent };
}

/** Print the "last suspicious lines" of the app's log (a plain tail would be millions of 200s). */
function printLogEvidence(logPath) {
  // pino levels 40+ (warn/error/fatal), 4xx/5xx status codes, or anything that looks like an error
  const suspicious = grepTail(logPath, /"level":\s*[456]0\b|"statusCode":\s*[45]\d\d|error|exception/i, 20);
  console.log(
    suspicious.length
      ? `app log, last suspicious lines (${logPath}):\n${suspicious.map((l) => l.slice(0, 600)).join('\n')}`
      : `app log tail (${logPath}):\n${tailFile(logPath, 10)}`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------------------------------------

async function main() {
  if (Number(process.versions.node.split('.')[0]) < 24) {
    throw new BenchError(
      `node ${process.version}: the bench starts the app with this Node binary and the app needs Node ≥ 24 ` +
        '(put the project Node first on PATH, see TOOLCHAIN.md)',
    );
  }
  if (process.argv.includes('--profile')) {
    const { profileHotPath } = await import('./profile-hot-path.mjs');
    return profileHotPath(process.argv.slice(2));
  }
  const opts = parseArgs(process.argv.slice(2));
  const isOrders = opts.scenario === 'orders';
  if (isOrders) TARGETS = ORDER_TARGETS;
  if (opts.soak) {
    if (pickGenerator() !== 'wrk') throw new BenchError('--soak builds every request in a wrk script: install wrk');
    installCleanupHandlers();
    if (!process.env.BENCH_APP_CMD && !existsSync(path.join(ROOT, 'dist/src/main.js'))) {
      throw new BenchError('dist/src/main.js not found: run `npm run bench` (it builds first) or `npm run build`');
    }
    const { soakOrders } = await import('./soak-orders.mjs');
    return soakOrders({
      ...opts,
      durationS: opts.given.has('--duration') ? opts.durationS : 300,
      connections: opts.given.has('--connections') ? opts.connections : 64,
    });
  }
  installCleanupHandlers();
  if (!process.env.BENCH_APP_CMD && !existsSync(path.join(ROOT, 'dist/src/main.js'))) {
    throw new BenchError('dist/src/main.js not found: run `npm run bench` (it builds first) or `npm run build`');
  }
  /** @type {string[]} everything printed, for latest.txt */
  const transcript = [];
  const log = (text = '') => {
    console.log(text);
    transcript.push(text);
  };

  const generator = pickGenerator();
  if (isOrders && generator !== 'wrk') {
    throw new BenchError('--scenario=orders builds every request in a wrk script: install wrk (apt-get install wrk)');
  }
  const generatorNote =
    generator === 'wrk'
      ? `${wrkVersion() ?? 'wrk'}, 1 thread, latency from its own histogram`
      : 'autocannon in 1 worker thread (wrk not installed: `apt-get install wrk`), latency at 1 ms resolution';
  const cpus = os.cpus();
  const loadavgAtStart = os.loadavg()[0];
  log(
    isOrders
      ? 'Orderly bench — POST /api/v1/orders end to end (idempotency + transaction + outbox + saga) vs the raw mysql2 ' +
          'place-order transaction on bare Fastify, in one run'
      : `Orderly bench — ${opts.scenario === 'product' ? 'GET /api/v1/products/:id' : 'GET /api/v1/users/me'}, authenticated; app vs bare Fastify in one run`,
  );
  log(
    `node ${process.version} · ${cpus.length} × ${cpus[0]?.model ?? 'cpu'} · load average ${loadavgAtStart.toFixed(2)} · ` +
      `${opts.connections} connections, pipelining 1, ${opts.warmupS} s warm-up + ${opts.durationS} s × ${opts.rounds} rounds`,
  );
  log(`generator: ${generatorNote}`);
  if (loadavgAtStart > 0.5) {
    log(`! load average ${loadavgAtStart.toFixed(2)} before starting: other work on this machine adds noise`);
  }

  // --- services and servers ------------------------------------------------------------------------------
  const services = await prepareServices(opts);
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'orderly-bench-'));
  const logPath = path.join(logDir, 'app.log');
  const logSize = () => {
    try {
      return statSync(logPath).size;
    } catch {
      return 0;
    }
  };
  const app = await startApp({ ...services, logPath });
  log(`app:  \`${app.command}\` pid ${app.entry.pid} on :${app.port}, server profile, Redis ${services.redisNote}`);
  log(`      ready in ${int(app.startToReadyMs)} ms; log → ${logPath}`);
  const auth = await authenticate(app.baseUrl, logPath);
  /** The order path's context: its database connection, users, products, and what the rounds record. */
  let orders = null;
  let bare;
  let scenario;
  let bareSample;
  if (isOrders) {
    const db = await connect(services.databaseUrl);
    const prepared = await prepareOrders({
      baseUrl: app.baseUrl,
      auth,
      logPath,
      databaseUrl: services.databaseUrl,
      db,
      products: opts.products,
      users: opts.users,
    });
    orders = {
      db,
      sessions: prepared.sessions,
      productIds: prepared.productIds,
      windows: [],
      drains: [],
      dbPerReq: { bare: [], app: [] },
    };
    const poolSize = Number(process.env.DB_POOL_SIZE || 10);
    bare = await startRaw({ databaseUrl: services.databaseUrl, poolSize });
    log(
      `raw:  fastify ${bare.fastifyVersion} + mysql2 pool of ${bare.poolSize} (the app's DB_POOL_SIZE), pid ` +
        `${bare.entry.pid} on :${bare.port}, ${bare.products} product prices loaded`,
    );
    scenario = {
      path: '/api/v1/orders',
      sample: prepared.sample,
      sampleBytes: prepared.sampleBytes,
      note: prepared.note,
    };
    bareSample = await placeOne(bare.baseUrl, auth.accessToken, prepared.productIds[0]);
    if (bareSample.status !== 201) {
      throw new BenchError(`raw order server answered ${bareSample.status}: ${bareSample.text.slice(0, 300)}`);
    }
  } else {
    bare = await startBare();
    log(`bare: fastify ${bare.fastifyVersion} pid ${bare.entry.pid} on :${bare.port}`);
    scenario = await prepareScenario(opts.scenario, app.baseUrl, auth, logPath);
  }
  SCENARIO_PATH = scenario.path;
  Object.assign(auth, { me: scenario.sample, meBytes: scenario.sampleBytes });
  if (!isOrders) {
    bareSample = await request(bare.baseUrl, 'GET', SCENARIO_PATH);
    if (bareSample.status !== 200) throw new BenchError(`bare server answered ${bareSample.status}`);
  }
  const appShape = shape(auth.me).join(',');
  const bareShape = shape(bareSample.json).join(',');
  log(
    `user: ${auth.email} registered + logged in; ${scenario.note}; one ${isOrders ? 'POST' : 'GET'} ` +
      `${SCENARIO_PATH} → ${isOrders ? 201 : 200}`,
  );
  log(
    `      response body ${auth.meBytes} B (app) vs ${bareSample.bytes} B (bare)${appShape === bareShape ? ', same shape' : ''}`,
  );
  if (appShape !== bareShape) log(`! body shapes differ\n  app:  {${appShape}}\n  bare: {${bareShape}}`);

  await new Promise((r) => setTimeout(r, 1000)); // let start-up garbage settle before the idle reading
  const idleMemory = treeMemory(app.entry.pid);
  log(`      app RSS idle ${mb(idleMemory.rss)}\n`);

  // --- load ----------------------------------------------------------------------------------------------
  const { measured, problems, logBytesPerRequest, headroom, retried } = await loadRounds({
    opts,
    app,
    bare,
    auth,
    logSize,
    generator,
    log,
    orders,
  });
  const afterMemory = app.entry.hasExited() ? { rss: 0, peak: 0 } : treeMemory(app.entry.pid);

  // --- summary -------------------------------------------------------------------------------------------
  const bareSum = summarise(measured.bare);
  const appSum = summarise(measured.app);
  const ratio = bareSum.rps && appSum.rps !== null ? appSum.rps / bareSum.rps : null;
  const roundRatios = measured.app.map((r, i) => (measured.bare[i]?.rps ? r.rps / measured.bare[i].rps : null));
  const allResults = [...measured.bare, ...measured.app, ...(headroom ? [headroom] : [])];
  const maxOtherCores = Math.max(0, ...allResults.map((r) => r.otherCores));
  const maxStealCores = Math.max(0, ...allResults.map((r) => r.stealCores));
  const maxIdleAppCores = Math.max(0, ...measured.bare.map((r) => r.idleCores));
  const hr = headroomVerdict(bareSum, headroom, isOrders ? measured.bare[measured.bare.length - 1] : null);

  log('-'.repeat(ROUND_TABLE.header().indexOf('\n')));
  log(roundRow('med.', 'bare', bareSum));
  log(roundRow('med.', 'app', appSum));
  log("(p50/p99: median of the rounds' percentiles; max: worst round; srv µs/req and srv cores: CPU of the loaded");
  log(' server; gen cores: CPU of the load generator (wrk: 1.00 = its one thread never idle); svc cores: the local');
  log(" Redis + MariaDB (the app's rate limiter and database); others: cores busy in any other process; load:");
  log(' 1-min load average before the phase; hr: headroom check, the baseline');
  log(` with 2 generator threads; a round marked n*k was measured k times because others > ${NOISY_OTHER_CORES} cores`);
  log(' and the quietest attempt is shown; RSS: resident memory of the loaded server right after the phase)\n');

  const checks = {
    headroom: hr.ok,
    ratio: ratio === null ? null : ratio >= TARGETS.ratioMin && hr.ok !== false,
    p99: appSum.p99 === null || TARGETS.p99MaxMs === null ? null : appSum.p99 < TARGETS.p99MaxMs,
    startToReady: app.startToReadyMs < TARGETS.startToReadyMaxMs,
    idleRss: idleMemory.rss > 0 ? idleMemory.rss < TARGETS.idleRssMaxBytes : null,
  };
  /** One summary line: verdict, label, value and target in fixed columns. */
  const line = (pass, label, value, target = '') => {
    const verdict = pass === undefined ? '    ' : pass === null ? 'n/a ' : pass ? 'ok  ' : 'MISS';
    log(`${verdict} ${label.padEnd(19)} ${value.padEnd(24)} ${target}`.trimEnd());
  };
  line(
    checks.headroom,
    'generator headroom',
    hr.gain === null ? '–' : `${hr.gain >= 0 ? '+' : ''}${(hr.gain * 100).toFixed(1)} % with 2 threads`,
    `baseline must not gain > ${HEADROOM_TOLERANCE * 100} % (gen ${dec(hr.genBusy, 2)} of its core busy, must be < 0.90)` +
      (hr.gainAdjacent === null
        ? ''
        : `; vs the last round's baseline ${hr.gainAdjacent >= 0 ? '+' : ''}${(hr.gainAdjacent * 100).toFixed(1)} %` +
          ' (the smaller gain decides)'),
  );
  line(
    checks.ratio,
    'ratio app/bare',
    `${dec(ratio, 3)} (rounds ${roundRatios.map((r) => dec(r, 3)).join(', ')})`,
    `target ≥ ${TARGETS.ratioMin}${hr.ok === false ? ' — NOT VALID: generator-bound baseline' : ''}`,
  );
  const bestBare = Math.max(bareSum.rps ?? 0, headroom?.rps ?? 0);
  const conservativeRatio = bestBare > 0 && appSum.rps !== null ? appSum.rps / bestBare : null;
  line(
    undefined,
    'conservative ratio',
    dec(conservativeRatio, 3),
    'app ÷ the best baseline seen (2 generator threads included)',
  );
  line(
    undefined,
    'CPU per request',
    `app ${dec(appSum.serverCpuUsPerReq, 1)} µs, bare ${dec(bareSum.serverCpuUsPerReq, 1)} µs`,
    `app ÷ bare = ${dec(appSum.serverCpuUsPerReq / bareSum.serverCpuUsPerReq, 2)}`,
  );
  line(
    checks.p99,
    'app p99',
    `${dec(appSum.p99)} ms`,
    TARGETS.p99MaxMs === null
      ? `no target for the POST itself (bare p99 ${dec(bareSum.p99)} ms)`
      : `target < ${TARGETS.p99MaxMs} ms at ${opts.connections} connections`,
  );
  let saga = null;
  if (orders) {
    saga = await sagaLatency(orders.db, orders.windows);
    const drains = orders.drains.map((d) => d.drainMs);
    const sustained = median(orders.drains.map((d) => d.sustained).filter((v) => v !== null));
    saga.drainMs = drains;
    saga.sustainedRps = sustained;
    const others = Object.entries(saga.statuses)
      .filter(([status]) => status !== 'CONFIRMED')
      .map(([status, n]) => `${n} ${status}`);
    line(
      undefined,
      'saga placed→CONF.',
      `p50 ${dec(saga.p50, 1)} ms, p99 ${dec(saga.p99, 1)} ms`,
      `max ${dec(saga.max, 0)} ms; ${int(saga.confirmed)} of ${int(saga.orders)} measured orders CONFIRMED` +
        `${others.length ? ` (${others.join(', ')})` : ''}; DB updated_at − created_at`,
    );
    line(
      undefined,
      'saga drain',
      `${drains.map((d) => (d === null ? '>120 s' : `${int(d)} ms`)).join(', ')}`,
      'after each app phase stopped, until backlog 0 and no order PENDING',
    );
    line(
      undefined,
      'placed + confirmed',
      `${int(sustained)} orders/s`,
      `orders of a phase ÷ (phase + its drain); ratio to raw ${dec(bareSum.rps ? sustained / bareSum.rps : null, 3)}`,
    );
    const perOrder = (target) => {
      const rows = orders.dbPerReq[target].filter(Boolean);
      const med = (k) => median(rows.map((r) => r[k]));
      return {
        statements: med('Questions'),
        selects: med('Com_select'),
        inserts: med('Com_insert'),
        updates: med('Com_update'),
        deletes: med('Com_delete'),
        begins: med('Com_begin'),
        commits: med('Com_commit'),
        fsyncs: med('Innodb_data_fsyncs'),
        rowsRead: median(rows.map((r) => r.Handler_read_key + r.Handler_read_next + r.Handler_read_rnd_next)),
      };
    };
    saga.dbPerOrder = { raw: perOrder('bare'), app: perOrder('app') };
    for (const [label, c] of Object.entries(saga.dbPerOrder)) {
      line(
        undefined,
        `DB per order (${label})`,
        `${dec(c.statements, 1)} statements`,
        `select ${dec(c.selects, 1)}, insert ${dec(c.inserts, 1)}, update ${dec(c.updates, 1)}, delete ` +
          `${dec(c.deletes, 1)}, begin ${dec(c.begins, 1)}, commit ${dec(c.commits, 1)}, fsync ${dec(c.fsyncs, 2)}, ` +
          `handler reads ${dec(c.rowsRead, 0)}${label === 'app' ? ' (saga included)' : ''}`,
      );
    }
    log('     (DB counters are MariaDB-wide: other databases on this server add to them)');
  }
  line(
    checks.startToReady,
    'start → ready',
    `${int(app.startToReadyMs)} ms`,
    `target < ${TARGETS.startToReadyMaxMs} ms (server profile)`,
  );
  line(checks.idleRss, 'app RSS idle', mb(idleMemory.rss), 'target < 200 MB (the spec means with telemetry on)');
  line(undefined, 'app RSS after load', `${mb(afterMemory.rss)} (peak ${mb(afterMemory.peak)})`);
  line(undefined, 'app log', `${dec(logBytesPerRequest, 0)} B/request`, 'written by the app per measured request');
  if (logBytesPerRequest !== null && logBytesPerRequest < 20) {
    log('!    the app wrote almost nothing per request: SPEC §6 measures the pipeline WITH request logging');
  }
  if (maxIdleAppCores > 0.05) {
    log(
      `!    the idle app used up to ${maxIdleAppCores.toFixed(2)} cores while the baseline was measured ` +
        '(background work), which lowers the baseline and flatters the ratio',
    );
  }
  if (maxOtherCores > NOISY_OTHER_CORES || maxStealCores > 0.05) {
    log(
      `!    noisy machine: other processes used up to ${maxOtherCores.toFixed(2)} cores (steal ` +
        `${maxStealCores.toFixed(2)}) during a kept measurement; re-run when it is quiet`,
    );
  }
  if (retried > 0) log(`     ${retried} disturbed measurement(s) were repeated`);

  if (orders) await orders.db.end();
  const stopped = await stopTracked(app.entry, 5000);
  const exitNote = `exit code ${stopped.code}${stopped.signal ? `, ${stopped.signal}` : ''}`;
  line(
    undefined,
    'app stop (SIGTERM)',
    `${stopped.ms} ms`,
    stopped.forced ? `not gone after 5 s: killed (${exitNote})` : exitNote,
  );
  await stopAll(3000);

  if (problems.length) {
    log(`\nFAILED: non-2xx responses or errors under load${isOrders ? ', or a saga backlog that did not drain' : ''}:`);
    for (const p of problems) log(`  - ${p}`);
    printLogEvidence(logPath);
  }

  const missed = Object.entries(checks)
    .filter(([, pass]) => pass === false)
    .map(([name]) => name);
  const perTarget = (sum, results) => ({
    rps: round(sum.rps, 0),
    p50Ms: round(sum.p50),
    p99Ms: round(sum.p99),
    maxMs: round(sum.maxMs, 1),
    cpuUsPerReq: round(sum.serverCpuUsPerReq, 1),
    serverCores: round(sum.serverCores),
    genCores: round(sum.genCores),
    perRound: results.map((r) => ({
      rps: round(r.rps, 0),
      p50Ms: round(r.p50),
      p99Ms: round(r.p99),
      cpuUsPerReq: round(r.serverCpuUsPerReq, 1),
      genCores: round(r.genCores),
      serviceCores: round(r.serviceCores),
      otherCores: round(r.otherCores),
      rssMB: round(r.serverRss / 1048576, 1),
    })),
  });
  const result = {
    scenario: `${isOrders ? 'POST' : 'GET'} ${SCENARIO_PATH}`,
    at: new Date().toISOString(),
    node: process.version,
    cpus: cpus.length,
    loadavgAtStart: round(loadavgAtStart),
    generator: generator === 'wrk' ? (wrkVersion() ?? 'wrk') : 'autocannon (worker threads)',
    connections: opts.connections,
    pipelining: 1,
    warmupS: opts.warmupS,
    durationS: opts.durationS,
    rounds: measured.app.length,
    redis: Boolean(services.redisUrl),
    appCmd: app.command,
    fastify: bare.fastifyVersion,
    bare: perTarget(bareSum, measured.bare),
    app: perTarget(appSum, measured.app),
    ratio: round(ratio, 3),
    roundRatios: roundRatios.map((r) => round(r, 3)),
    conservativeRatio: round(conservativeRatio, 3),
    headroom: headroom
      ? {
          bareRpsTwoThreads: round(headroom.rps, 0),
          gain: round(hr.gain, 3),
          gainVsLastRound: round(hr.gainAdjacent, 3),
          genBusyOneThread: round(hr.genBusy),
          ok: hr.ok,
        }
      : null,
    startToReadyMs: Math.round(app.startToReadyMs),
    rssIdleMB: round(idleMemory.rss / 1048576, 1),
    rssAfterLoadMB: round(afterMemory.rss / 1048576, 1),
    rssPeakMB: round(afterMemory.peak / 1048576, 1),
    bodyBytes: { app: auth.meBytes, bare: bareSample.bytes },
    ...(orders
      ? {
          orders: {
            products: opts.products,
            users: opts.users,
            poolSize: bare.poolSize,
            sagaMs: {
              p50: round(saga.p50, 1),
              p90: round(saga.p90, 1),
              p99: round(saga.p99, 1),
              max: round(saga.max, 1),
            },
            measuredOrders: saga.orders,
            statuses: saga.statuses,
            drainMs: saga.drainMs.map((d) => (d === null ? null : Math.round(d))),
            backlogWhenStopped: orders.drains.map((d) => ({ outbox: d.outboxLeft, pending: d.pendingLeft })),
            placedAndConfirmedRps: round(saga.sustainedRps, 0),
            dbPerOrder: Object.fromEntries(
              Object.entries(saga.dbPerOrder).map(([k, v]) => [
                k,
                Object.fromEntries(Object.entries(v).map(([n, x]) => [n, round(x, 2)])),
              ]),
            ),
          },
        }
      : {}),
    logBytesPerRequest: round(logBytesPerRequest, 0),
    otherCoresMax: round(maxOtherCores),
    idleAppCoresMax: round(maxIdleAppCores),
    repeatedMeasurements: retried,
    stopMs: stopped.ms,
    targets: {
      ratioMin: TARGETS.ratioMin,
      p99MaxMs: TARGETS.p99MaxMs,
      startToReadyMaxMs: TARGETS.startToReadyMaxMs,
      idleRssMaxMB: TARGETS.idleRssMaxBytes / 1048576,
      missed,
    },
    ok: problems.length === 0,
  };
  log(`\nBENCH_RESULT ${JSON.stringify(result)}`);
  writeOutputs(opts.outDir, transcript, result, { bareSum, appSum, ratio, roundRatios, hr, headroom, checks });

  if (problems.length) return 1; // the log is kept for inspection
  if (opts.keepLog) console.log(`(app log kept: ${logPath})`);
  else rmSync(logDir, { recursive: true, force: true });
  return opts.strict && missed.length ? 3 : 0;
}

/** bench-results/latest.{txt,json,svg}: the table as printed, the JSON line, the chart. */
function writeOutputs(outDir, transcript, result, { bareSum, appSum, ratio, roundRatios, hr, headroom, checks }) {
  const dir = path.resolve(ROOT, outDir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'latest.txt'), `${transcript.join('\n')}\n`);
  writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  const svg = benchChart({
    title: `Orderly ${result.scenario} vs ${result.orders ? 'raw mysql2' : 'bare Fastify'} — ratio ${dec(ratio, 3)}`,
    subtitle:
      `${result.at.slice(0, 16).replace('T', ' ')} UTC · node ${result.node} · ${result.cpus} cores · ${result.generator} · ` +
      `${result.connections} connections · ${result.rounds} × ${result.durationS} s · Redis ${result.redis ? 'on' : 'off'}`,
    ratios: [
      ...roundRatios.map((value, i) => ({ label: `round ${i + 1}`, value })),
      { label: 'of medians', value: ratio, emphasis: true },
    ],
    targets: [
      { value: TARGETS.ratioMin, label: `target ${TARGETS.ratioMin.toFixed(2)}`, anchor: 'end' },
      ...(TARGETS.ratioMin === 0.5 ? [] : [{ value: 0.5, label: 'goal 0.50', anchor: 'start' }]),
    ],
    cpu: [
      { label: result.orders ? 'raw mysql2' : 'bare Fastify', value: bareSum.serverCpuUsPerReq, color: '#546e7a' },
      { label: 'Orderly', value: appSum.serverCpuUsPerReq, color: '#1565c0' },
    ],
    notes: [
      {
        ok: hr.ok,
        text:
          `headroom: baseline ${int(bareSum.rps)} req/s with 1 generator thread, ${int(headroom?.rps)} with 2 ` +
          `(${hr.gain === null ? '–' : `${hr.gain >= 0 ? '+' : ''}${(hr.gain * 100).toFixed(1)} %`}); generator ` +
          `thread ${dec(hr.genBusy, 2)} busy`,
      },
      { ok: undefined, text: `req/s: app ${int(appSum.rps)}, bare ${int(bareSum.rps)} (medians)` },
      {
        ok: checks.p99,
        text:
          TARGETS.p99MaxMs === null
            ? `app p99 ${dec(appSum.p99)} ms, raw p99 ${dec(bareSum.p99)} ms`
            : `app p99 ${dec(appSum.p99)} ms (target < ${TARGETS.p99MaxMs} ms)`,
      },
      ...(result.orders
        ? [
            {
              ok: undefined,
              text:
                `saga placed→CONFIRMED p50 ${dec(result.orders.sagaMs.p50, 1)} ms, p99 ` +
                `${dec(result.orders.sagaMs.p99, 1)} ms; drain ${result.orders.drainMs.join(', ')} ms`,
            },
          ]
        : []),
      { ok: checks.startToReady, text: `start → ready ${int(result.startToReadyMs)} ms (target < 2000 ms)` },
      { ok: checks.idleRss, text: `idle RSS ${dec(result.rssIdleMB, 1)} MB (target < 200 MB)` },
    ],
  });
  writeFileSync(path.join(dir, 'latest.svg'), svg);
  console.log(`(written: ${path.relative(ROOT, dir) || '.'}/latest.txt, latest.json, latest.svg)`);
}

try {
  process.exitCode = await main();
} catch (err) {
  if (err instanceof BenchError) {
    console.error(`\n[bench] FAILED: ${err.message}`);
    if (err.logPath) console.error(`[bench] app log tail (${err.logPath}):\n${tailFile(err.logPath, 40)}`);
  } else {
    console.error('\n[bench] FAILED with an unexpected error:', err);
  }
  process.exitCode = 1;
} finally {
  await stopAll(3000);
  cleanupLoad();
}
