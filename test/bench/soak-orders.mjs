/**
 * `npm run bench -- --soak` — SPEC §6 soak: "300 s at 64 connections on the order path with no growth in RSS beyond
 * warm-up, no p99 drift and an outbox backlog that returns to zero".
 *
 * The app alone (no baseline: the soak is about the app staying level, not about a ratio), loaded with the order
 * path's wrk script (lib/orders.mjs: a unique Idempotency-Key per request, a random product of --products) in
 * consecutive windows of --window seconds (default 10), so that every window has its own rate, p50/p99, the app's RSS
 * and the saga backlog at its end. The first 20 % of the windows (at least one) are the warm-up. After the load, the
 * bench waits for the backlog to return to zero and reports how long that took.
 *
 * Verdicts: RSS growth — the last window's RSS over the highest RSS seen by the end of the warm-up (≤ 10 % passes);
 * p99 drift — the median p99 of the last third of the windows after warm-up over that of the first third (≤ 1.5×
 * passes: on the shared 2-core machine single windows vary by more); backlog — zero within 120 s of the end.
 *
 * Options shared with the comparison: --duration (default 300 here), --connections (default 64 here), --products,
 * --users, --no-redis, --out, --keep-log; and --window=N.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { stopAll, stopTracked, treeMemory } from './lib/children.mjs';
import { runLoad, wrkVersion } from './lib/load.mjs';
import { backlog, connect, prepareOrders, refreshSessions, waitForDrain, wrkOrderScript } from './lib/orders.mjs';
import { Table, dec, int, mb, median, round } from './lib/report.mjs';
import { ROOT, authenticate, prepareServices, startApp } from './lib/servers.mjs';

const RSS_GROWTH_MAX = 0.1;
const P99_DRIFT_MAX = 1.5;
const DRAIN_MAX_MS = 120_000;

const TABLE = new Table([
  { title: 'window', width: 6 },
  { title: 't s', width: 5 },
  { title: 'req/s', width: 7 },
  { title: 'p50 ms', width: 7 },
  { title: 'p99 ms', width: 7 },
  { title: 'srv cores', width: 9 },
  { title: 'others', width: 6 },
  { title: 'RSS MB', width: 6 },
  { title: 'outbox', width: 7 },
  { title: 'pending', width: 7 },
  { title: 'non-2xx/err', width: 11 },
]);

/** @param {{ durationS: number, connections: number, products: number, users: number, redis: boolean,
 *   outDir: string, keepLog: boolean, windowS: number }} opts */
export async function soakOrders(opts) {
  const lines = [];
  const log = (text = '') => {
    console.log(text);
    lines.push(text);
  };
  const windowS = Math.min(opts.windowS, opts.durationS);
  const windows = Math.max(1, Math.round(opts.durationS / windowS));
  const warmupWindows = Math.max(1, Math.round(windows * 0.2));
  log('Orderly soak — POST /api/v1/orders end to end (SPEC §6: RSS level after warm-up, no p99 drift, backlog → 0)');
  log(
    `node ${process.version} · ${os.cpus().length} cores · load average ${os.loadavg()[0].toFixed(2)} · ` +
      `${opts.connections} connections · ${windows} windows × ${windowS} s (first ${warmupWindows} = warm-up) · ` +
      `${wrkVersion() ?? 'wrk'}`,
  );

  const services = await prepareServices(opts);
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'orderly-soak-'));
  const logPath = path.join(logDir, 'app.log');
  const app = await startApp({ ...services, logPath });
  log(
    `app:  pid ${app.entry.pid}, ready in ${int(app.startToReadyMs)} ms, Redis ${services.redisNote}; log → ${logPath}`,
  );
  const auth = await authenticate(app.baseUrl, logPath);
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
  log(`      ${prepared.note}`);
  log(`      app RSS idle ${mb(treeMemory(app.entry.pid).rss)}\n`);

  log(TABLE.header());
  const rows = [];
  const problems = [];
  for (let i = 0; i < windows && !app.entry.hasExited(); i++) {
    await refreshSessions(app.baseUrl, prepared.sessions, (windowS + 120) * 1000);
    const r = await runLoad({
      generator: 'wrk',
      url: `${app.baseUrl}/api/v1/orders`,
      connections: opts.connections,
      durationS: windowS,
      serverPid: app.entry.pid,
      requestLua: wrkOrderScript({
        tokens: prepared.sessions.map((s) => s.accessToken),
        productIds: prepared.productIds,
      }),
    });
    const left = await backlog(db, true);
    rows.push({ ...r, warmup: i < warmupWindows, outbox: left.outbox, pending: left.pending });
    if (r.non2xx + r.errors + r.timeouts > 0) {
      problems.push(`window ${i + 1}: non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts}`);
    }
    log(
      TABLE.line([
        `${i + 1}${i < warmupWindows ? 'w' : ''}`,
        int((i + 1) * windowS),
        int(r.rps),
        dec(r.p50),
        dec(r.p99),
        dec(r.serverCores, 2),
        dec(r.otherCores, 2),
        (r.serverRss / 1048576).toFixed(0),
        int(left.outbox),
        int(left.pending),
        `${r.non2xx}/${r.errors + r.timeouts}`,
      ]),
    );
  }
  const stoppedAt = performance.now();
  const drainMs = await waitForDrain(db, stoppedAt, DRAIN_MAX_MS);
  const afterDrainRss = treeMemory(app.entry.pid).rss;
  await db.end();

  const warm = rows.filter((r) => r.warmup);
  const measured = rows.filter((r) => !r.warmup);
  const third = Math.max(1, Math.floor(measured.length / 3));
  const rssWarm = Math.max(...warm.map((r) => r.serverRss));
  const rssEnd = rows[rows.length - 1]?.serverRss ?? 0;
  const rssGrowth = rssWarm > 0 ? rssEnd / rssWarm - 1 : null;
  const p99First = median(measured.slice(0, third).map((r) => r.p99));
  const p99Last = median(measured.slice(-third).map((r) => r.p99));
  const drift = p99First ? p99Last / p99First : null;
  const checks = {
    rss: rssGrowth === null ? null : rssGrowth <= RSS_GROWTH_MAX,
    p99Drift: drift === null || measured.length < 2 ? null : drift <= P99_DRIFT_MAX,
    backlog: drainMs !== null,
  };
  const verdict = (pass) => (pass === null ? 'n/a ' : pass ? 'ok  ' : 'MISS');
  log('-'.repeat(TABLE.header().indexOf('\n')));
  log(`(w: warm-up window; outbox/pending: undelivered outbox rows and PENDING orders at the window's end)\n`);
  log(
    `     rate                ${int(median(measured.map((r) => r.rps)))} req/s median after warm-up ` +
      `(p50 ${dec(median(measured.map((r) => r.p50)))} ms)`,
  );
  log(
    `${verdict(checks.rss)} RSS growth          ${rssGrowth === null ? '–' : `${(rssGrowth * 100).toFixed(1)} %`} ` +
      `(end ${mb(rssEnd)} vs ${mb(rssWarm)} at the end of warm-up; after the drain ${mb(afterDrainRss)}) ` +
      `must be ≤ ${RSS_GROWTH_MAX * 100} %`,
  );
  log(
    `${verdict(checks.p99Drift)} p99 drift           ${dec(drift, 2)}× (last third ${dec(p99Last)} ms vs first third ` +
      `${dec(p99First)} ms after warm-up) must be ≤ ${P99_DRIFT_MAX}×`,
  );
  log(
    `${verdict(checks.backlog)} backlog → 0         ${drainMs === null ? `not within ${DRAIN_MAX_MS / 1000} s` : `${int(drainMs)} ms after the load stopped`} ` +
      `(max during the soak: ${int(Math.max(...rows.map((r) => r.outbox)))} outbox rows)`,
  );
  const maxOthers = Math.max(0, ...rows.map((r) => r.otherCores));
  if (maxOthers > 0.2) log(`!    noisy machine: other processes used up to ${maxOthers.toFixed(2)} cores in a window`);
  const stopped = await stopTracked(app.entry, 5000);
  await stopAll(3000);
  if (problems.length) {
    log('\nFAILED: non-2xx responses or errors under load:');
    for (const p of problems) log(`  - ${p}`);
  }
  const result = {
    scenario: 'soak POST /api/v1/orders',
    at: new Date().toISOString(),
    node: process.version,
    connections: opts.connections,
    windowS,
    windows: rows.map((r) => ({
      rps: round(r.rps, 0),
      p50Ms: round(r.p50),
      p99Ms: round(r.p99),
      rssMB: round(r.serverRss / 1048576, 1),
      outbox: r.outbox,
      pending: r.pending,
      otherCores: round(r.otherCores),
      non2xx: r.non2xx,
      warmup: r.warmup,
    })),
    rssGrowth: round(rssGrowth, 3),
    p99Drift: round(drift, 2),
    drainMs: drainMs === null ? null : Math.round(drainMs),
    checks,
    stopMs: stopped.ms,
    ok: problems.length === 0,
  };
  log(`\nBENCH_RESULT ${JSON.stringify(result)}`);
  const dir = path.resolve(ROOT, opts.outDir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'soak.txt'), `${lines.join('\n')}\n`);
  writeFileSync(path.join(dir, 'soak.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`(written: ${path.relative(ROOT, dir) || '.'}/soak.txt, soak.json)`);
  if (problems.length) return 1;
  if (opts.keepLog) console.log(`(app log kept: ${logPath})`);
  else rmSync(logDir, { recursive: true, force: true });
  return Object.values(checks).includes(false) && opts.strict ? 3 : 0;
}
