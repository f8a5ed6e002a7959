#!/usr/bin/env node
/**
 * `npm run bench -- --profile`: where does the CPU of one authenticated `GET /api/v1/users/me` go?
 *
 * Starts the built app exactly as the bench does (server profile, Redis rate limiting, request log to a file,
 * production mode) under `node --cpu-prof`, loads it with the bench's generator (wrk, 50 connections), stops it
 * (the profile is written on exit) and prints µs per request for every piece of the pipeline (lib/profile.mjs says
 * how samples are charged). The .cpuprofile is kept for a flame graph: open it in Chrome DevTools (Performance →
 * Load profile) or speedscope.
 *
 * Options: --duration=N (measured seconds, default 10), --warmup=N (default 3), --connections=N (default 50),
 *   --interval=N (sampling interval in µs, default 100), --no-redis, --out=DIR (default bench-results)
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { installCleanupHandlers, stopAll, stopTracked, treeCpuTicks, TICKS_PER_SECOND } from './lib/children.mjs';
import { cleanupLoad, pickGenerator, runLoad } from './lib/load.mjs';
import { analyseProfile } from './lib/profile.mjs';
import { Table, dec, int } from './lib/report.mjs';
import { BenchError, ROOT, SCENARIO_PATH, authenticate, prepareServices, startApp } from './lib/servers.mjs';

function parseArgs(argv) {
  const opts = { durationS: 10, warmupS: 3, connections: 50, intervalUs: 100, redis: true, outDir: 'bench-results' };
  for (const arg of argv) {
    const [key, value] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg];
    const n = Number(value);
    if (key === '--profile') continue;
    else if (key === '--duration' && n >= 1) opts.durationS = n;
    else if (key === '--warmup' && n >= 0) opts.warmupS = n;
    else if (key === '--connections' && n >= 1) opts.connections = n;
    else if (key === '--interval' && n >= 10) opts.intervalUs = n;
    else if (key === '--no-redis') opts.redis = false;
    else if (key === '--out' && value) opts.outDir = value;
    else {
      console.error(`[profile] unknown or invalid option "${arg}"`);
      process.exit(2);
    }
  }
  return opts;
}

/** @returns {Promise<number>} exit code */
export async function profileHotPath(argv) {
  const opts = parseArgs(argv);
  installCleanupHandlers();
  const generator = pickGenerator();
  const services = await prepareServices(opts);
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'orderly-profile-'));
  const logPath = path.join(workDir, 'app.log');
  const profDir = path.join(workDir, 'prof');
  mkdirSync(profDir);

  const spawnedAt = performance.now();
  const app = await startApp({
    ...services,
    logPath,
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`, `--cpu-prof-interval=${opts.intervalUs}`],
  });
  console.log(`app pid ${app.entry.pid} under --cpu-prof (every ${opts.intervalUs} µs), Redis ${services.redisNote}`);
  const auth = await authenticate(app.baseUrl, logPath);
  const base = {
    generator,
    url: `${app.baseUrl}${SCENARIO_PATH}`,
    headers: { authorization: `Bearer ${auth.accessToken}` },
    connections: opts.connections,
    threads: 1,
    serverPid: app.entry.pid,
  };
  if (opts.warmupS > 0) await runLoad({ ...base, durationS: opts.warmupS });
  const fromMs = performance.now() - spawnedAt;
  const ticksBefore = treeCpuTicks(app.entry.pid);
  const load = await runLoad({ ...base, durationS: opts.durationS });
  const ticksAfter = treeCpuTicks(app.entry.pid);
  const toMs = performance.now() - spawnedAt;
  const stopped = await stopTracked(app.entry, 10_000);
  await stopAll(3000);
  if (load.non2xx + load.errors + load.timeouts > 0) {
    throw new BenchError(`${load.non2xx} non-2xx, ${load.errors} errors under load`, { logPath });
  }

  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new BenchError(`no .cpuprofile written (app exit: ${JSON.stringify(stopped)})`, { logPath });
  // The window is trimmed by 300 ms at both ends: the profile's clock starts a few ms after spawn.
  const window = { fromUs: (fromMs + 300) * 1000, toUs: (toMs - 300) * 1000 };
  const { rows, totalUs, windowUs, unknown } = analyseProfile(path.join(profDir, file), window);
  const requestsInWindow = load.rps * (windowUs / 1e6);
  const perReq = (us) => us / requestsInWindow;
  const processUsPerReq = ((ticksAfter - ticksBefore) * (1e6 / TICKS_PER_SECOND)) / load.requests;

  const lines = [];
  const log = (text = '') => {
    console.log(text);
    lines.push(text);
  };
  log(
    `\nGET ${SCENARIO_PATH}: ${int(load.rps)} req/s under the profiler (${load.generator}, ${opts.connections} connections)`,
  );
  log(
    `main thread ${dec(perReq(totalUs), 1)} µs/request in the profile; whole process ${dec(processUsPerReq, 1)} µs/request ` +
      '(/proc: adds GC helper threads, libuv threads and the profiler itself)\n',
  );
  const table = new Table([
    { title: 'piece', width: 50, align: 'left' },
    { title: 'µs/req', width: 7 },
    { title: 'share', width: 6 },
  ]);
  log(
    `other processes used ${dec(load.otherCores, 2)} cores during the measurement` +
      (load.otherCores > 0.2 ? ' — DISTURBED: re-run when the machine is quiet' : ''),
  );
  log(table.header());
  for (const row of rows) log(table.line([row.piece, dec(perReq(row.us), 2), `${(row.share * 100).toFixed(1)}%`]));
  log(table.line(['total (main thread)', dec(perReq(totalUs), 2), '100%']));
  if (unknown.size > 0) {
    const top = [...unknown.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
    log(
      `\n"other libraries": ${top.map(([u, us]) => `${u.replace(/^file:\/\/\//, '')} ${dec(perReq(us), 2)}`).join('; ')}`,
    );
  }

  const outDir = path.resolve(ROOT, opts.outDir);
  mkdirSync(outDir, { recursive: true });
  const kept = path.join(outDir, 'users-me.cpuprofile');
  copyFileSync(path.join(profDir, file), kept);
  writeFileSync(path.join(outDir, 'profile.txt'), `${lines.join('\n')}\n`);
  console.log(
    `\n(profile ${Math.round(statSync(kept).size / 1024)} KiB kept: ${path.relative(ROOT, kept)} — flame graph: Chrome DevTools ` +
      `→ Performance → Load profile, or https://www.speedscope.app; table: ${path.relative(ROOT, outDir)}/profile.txt)`,
  );
  rmSync(workDir, { recursive: true, force: true });
  cleanupLoad();
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    process.exitCode = await profileHotPath(process.argv.slice(2));
  } catch (err) {
    console.error(`\n[profile] FAILED: ${err instanceof Error ? err.message : err}`);
    process.exitCode = 1;
  } finally {
    await stopAll(3000);
    cleanupLoad();
  }
}
