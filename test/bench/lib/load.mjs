/**
 * One load phase: a load generator against a URL, plus the CPU accounting around it.
 *
 * Why the generator matters (TOOLCHAIN.md, "Load generators on 2 cores"): the app is measured as a ratio of a bare
 * Fastify handler, and bare Fastify on this machine answers faster than autocannon can ask when autocannon runs in
 * the bench's own thread with a per-response listener (~18k req/s against ~55k). A generator-bound baseline
 * inflates the ratio. So:
 *
 *   - `wrk` (Debian's package, C, epoll) is the generator when it is on PATH: its latency histogram is recorded in C
 *     (HdrHistogram, µs resolution) and read once at the end by a Lua `done()` hook, so latency costs the generator
 *     nothing per response;
 *   - otherwise autocannon runs in worker threads (`workers`), without any per-response listener in this process;
 *     its latency histogram has a 1 ms resolution (the table says so).
 *
 * Headroom is measured, not assumed: the generator's CPU (for wrk: the child's CPU time, which the kernel adds to
 * this process's `cutime`/`cstime` once the child has been reaped) is reported per phase, and the bench re-runs the
 * baseline with a second generator thread to show its rate does not rise (run-bench.mjs).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
  childrenCpuTicks,
  machineCpuTicks,
  pidsByName,
  selfCpuTicks,
  treeCpuTicks,
  treeMemory,
  TICKS_PER_SECOND,
} from './children.mjs';

/** Local services the app talks to: their CPU during a phase is reported apart, not counted as noise. */
const SERVICE_NAMES = ['redis-server', 'mariadbd', 'mysqld'];

/**
 * @typedef {object} LoadResult
 * @property {string} generator 'wrk' or 'autocannon'
 * @property {number} threads generator threads
 * @property {number} rps completed requests per second over the phase
 * @property {number} requests completed requests
 * @property {number} durationS actual duration (seconds)
 * @property {number | null} p50 ms
 * @property {number | null} p90 ms
 * @property {number | null} p99 ms
 * @property {number} maxMs
 * @property {number} latencyResolutionMs 0.001 for wrk, 1 for autocannon
 * @property {number} non2xx responses outside 2xx (wrk: outside 2xx/3xx)
 * @property {number} errors connect/read/write errors
 * @property {number} timeouts
 * @property {number | null} serverCpuUsPerReq CPU of the server's process tree per request (µs)
 * @property {number} serverCores CPU of the server's process tree, in cores (1.0 = one core busy all the phase)
 * @property {number | null} genCpuUsPerReq CPU of the generator per request (µs)
 * @property {number} genCores CPU of the generator, in cores
 * @property {number} serviceCores CPU of the local Redis and database during the phase, in cores
 * @property {number} otherCores CPU used by processes other than the bench's and the services', in cores
 * @property {number} stealCores CPU stolen by the hypervisor during the phase, in cores
 * @property {number} idleCores CPU used by the bench's *other* (supposedly idle) server during the phase, in cores
 * @property {number} loadavg 1-minute load average right before the phase
 * @property {number} serverRss resident memory of the loaded server's process tree right after the phase
 */

/** @returns {'wrk' | 'autocannon'} the generator this machine offers (BENCH_GENERATOR forces one). */
export function pickGenerator() {
  const forced = process.env.BENCH_GENERATOR?.trim();
  if (forced === 'wrk' || forced === 'autocannon') return forced;
  if (forced) throw new Error(`BENCH_GENERATOR must be "wrk" or "autocannon", got "${forced}"`);
  const probe = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  return probe.error ? 'autocannon' : 'wrk';
}

/** wrk's version line ("wrk debian/4.1.0-3+b2 [epoll] …"), or null. */
export function wrkVersion() {
  const probe = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (probe.error) return null;
  const line = `${probe.stdout}${probe.stderr}`.split('\n')[0] ?? '';
  return line.replace(/\s+Copyright.*$/, '').trim();
}

/**
 * Lua for wrk: nothing per request or response; one JSON line at the end with the counters and the latency
 * percentiles (µs) from wrk's own histogram.
 */
const WRK_SCRIPT = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"durationUs":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
    '"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
`;

let scriptPath;
/** Write the Lua script once per bench process into a temp dir (removed by `cleanupLoad`). */
function wrkScript() {
  if (!scriptPath) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'orderly-bench-wrk-'));
    scriptPath = path.join(dir, 'report.lua');
    writeFileSync(scriptPath, WRK_SCRIPT);
  }
  return scriptPath;
}

let extraScripts = 0;
/**
 * A script with a `request()` of its own (e.g. the order path's: a POST with a unique Idempotency-Key per request,
 * lib/orders.mjs) followed by the reporting `done()`; written next to report.lua.
 */
function wrkScriptWith(requestLua) {
  const dir = path.dirname(wrkScript());
  const file = path.join(dir, `request-${++extraScripts}.lua`);
  writeFileSync(file, `${requestLua}\n${WRK_SCRIPT}`);
  return file;
}

/** Remove the temp files of this module. */
export function cleanupLoad() {
  if (scriptPath) rmSync(path.dirname(scriptPath), { recursive: true, force: true });
  scriptPath = undefined;
}

/**
 * Run wrk as a child and parse its WRK_RESULT line.
 * @returns {Promise<{ requests: number, durationS: number, p50: number, p90: number, p99: number, maxMs: number,
 *   non2xx: number, errors: number, timeouts: number }>}
 */
function runWrk({ url, headers, connections, threads, durationS, requestLua }) {
  const script = requestLua ? wrkScriptWith(requestLua) : wrkScript();
  const args = [`-t${threads}`, `-c${connections}`, `-d${durationS}s`, '--timeout', '10s', '-s', script];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  args.push(url);
  // the script's first argument: a prefix new for every invocation (the order path's Idempotency-Keys use it)
  if (requestLua) args.push('--', randomBytes(6).toString('hex'));
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.once('error', reject);
    // 'exit' comes after libuv has reaped the child: its CPU time is in this process's cutime/cstime now.
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('WRK_RESULT '));
      if (code !== 0 || !line) {
        reject(new Error(`wrk exited with code ${code}: ${(err || out).slice(0, 500)}`));
        return;
      }
      const r = JSON.parse(line.slice('WRK_RESULT '.length));
      resolve({
        requests: r.requests,
        durationS: r.durationUs / 1e6,
        p50: r.p50 / 1000,
        p90: r.p90 / 1000,
        p99: r.p99 / 1000,
        maxMs: r.max / 1000,
        non2xx: r.status,
        errors: r.connect + r.read + r.write,
        timeouts: r.timeout,
      });
    });
  });
}

/** autocannon in worker threads, no listener in this process. */
async function runAutocannon({ url, headers, connections, threads, durationS, requestLua }) {
  if (requestLua)
    throw new Error('this scenario builds each request in a wrk script: install wrk (apt-get install wrk)');
  const { default: autocannon } = await import('autocannon');
  const result = await autocannon({
    url,
    headers,
    connections,
    pipelining: 1,
    duration: durationS,
    timeout: 10,
    workers: threads,
  });
  return {
    requests: result.requests.total,
    durationS: result.duration,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    maxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/**
 * Load `url` for `durationS` seconds and measure CPU around it.
 * @param {{ generator: 'wrk' | 'autocannon', url: string, headers?: Record<string, string>, connections: number,
 *   threads?: number, durationS: number, serverPid: number, otherPids?: number[] }} options
 *   `otherPids`: bench-owned processes that are idle during this phase (the other server) — their CPU is
 *   subtracted from "other processes" so that the noise figure is about strangers only.
 *   `requestLua` (wrk only): a Lua `request()` (and setup/init) building each request; its init(args) gets a
 *   prefix unique to this invocation as args[1].
 * @returns {Promise<LoadResult>}
 */
export async function runLoad({
  generator,
  url,
  headers = {},
  connections,
  threads = 1,
  durationS,
  serverPid,
  otherPids = [],
  requestLua,
}) {
  const loadavg = os.loadavg()[0];
  const servicePids = pidsByName(SERVICE_NAMES);
  const before = snapshot(serverPid, otherPids, servicePids);
  const r =
    generator === 'wrk'
      ? await runWrk({ url, headers, connections, threads, durationS, requestLua })
      : await runAutocannon({ url, headers, connections, threads, durationS, requestLua });
  const after = snapshot(serverPid, otherPids, servicePids);

  const elapsedS = (after.t - before.t) / 1000;
  const ticksToUs = 1e6 / TICKS_PER_SECOND;
  const serverTicks = after.server - before.server;
  // wrk is a reaped child (children's ticks); autocannon's workers are threads of this process (own ticks).
  const genTicks = generator === 'wrk' ? after.children - before.children : after.self - before.self;
  const benchTicks = after.self - before.self; // this script itself (idle while wrk runs)
  const idleTicks = after.others - before.others;
  const serviceTicks = after.services - before.services;
  const ownTicks = serverTicks + genTicks + idleTicks + serviceTicks + (generator === 'wrk' ? benchTicks : 0);
  const machineBusy = after.machine.busy - before.machine.busy;
  const perReq = (ticks) => (r.requests > 0 ? (ticks * ticksToUs) / r.requests : null);

  return {
    generator,
    threads,
    rps: r.requests / r.durationS,
    requests: r.requests,
    durationS: r.durationS,
    p50: r.p50,
    p90: r.p90,
    p99: r.p99,
    maxMs: r.maxMs,
    latencyResolutionMs: generator === 'wrk' ? 0.001 : 1,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    serverCpuUsPerReq: perReq(serverTicks),
    serverCores: serverTicks / TICKS_PER_SECOND / elapsedS,
    genCpuUsPerReq: perReq(genTicks),
    genCores: genTicks / TICKS_PER_SECOND / elapsedS,
    serviceCores: serviceTicks / TICKS_PER_SECOND / elapsedS,
    otherCores: Math.max(0, machineBusy - ownTicks) / TICKS_PER_SECOND / elapsedS,
    stealCores: (after.machine.steal - before.machine.steal) / TICKS_PER_SECOND / elapsedS,
    idleCores: idleTicks / TICKS_PER_SECOND / elapsedS,
    loadavg,
    serverRss: treeMemory(serverPid).rss,
  };
}

/** CPU counters of everything the bench cares about, at one instant. */
function snapshot(serverPid, otherPids, servicePids) {
  return {
    services: servicePids.reduce((sum, pid) => sum + treeCpuTicks(pid), 0),
    t: performance.now(),
    server: treeCpuTicks(serverPid),
    self: selfCpuTicks(),
    children: childrenCpuTicks(),
    others: otherPids.reduce((sum, pid) => sum + treeCpuTicks(pid), 0),
    machine: machineCpuTicks(),
  };
}
