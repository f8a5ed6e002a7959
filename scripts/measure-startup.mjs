#!/usr/bin/env node
/**
 * Start → ready and idle RSS of the compiled service, with and without telemetry, as `npm run start:prod` runs it
 * (`node --import ./dist/src/telemetry.js dist/src/main.js`), server profile. Build first (`npm run build`).
 *
 *   DATABASE_URL=mysql://root@127.0.0.1:3306/orderly REDIS_URL=redis://127.0.0.1:6379/1 \
 *     node scripts/measure-startup.mjs [--runs 5] [--modes off,on] [--settle 1000] [--json file] [--dist dist]
 *
 * A mode is `off` or `on`, or `on@<dir>` / `off@<dir>` for another build under the repository (before/after).
 * Starts alternate between the modes (off, on, off, on, …) so that a change in the machine's load hits both.
 * "on" sets OTEL_EXPORTER_OTLP_ENDPOINT to a stand-in collector in this process (accepts OTLP/HTTP, answers 200).
 * Per start: ms from spawn to the first 200 of GET /health/ready (polled every 20 ms), the child's CPU time until
 * then, its RSS `--settle` ms after five more requests, the 1-minute load average and the machine's busy cores
 * during the start (from /proc/stat: how noisy the sample is). The schema must exist (MIGRATIONS_RUN=true on an
 * empty database makes the first start slower: run once and discard, or read the ranges with that in mind).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    modes: { type: 'string', default: 'off,on' },
    settle: { type: 'string', default: '1000' },
    json: { type: 'string' },
    dist: { type: 'string', default: 'dist' },
  },
});
const runs = Number(values.runs);
const modes = values.modes.split(',').map((mode) => mode.trim());
const settleMs = Number(values.settle);
const dist = values.dist;
const databaseUrl = process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/orderly';
const redisUrl = process.env.REDIS_URL;
const clockTicks = 100; // USER_HZ on Linux

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const loadavg = () => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
/** [busy, total] jiffies of the whole machine. */
function machineTicks() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3] + fields[4];
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  return [total - idle, total];
}
function processCpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
}
function rssMb(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line.split(/\s+/)[1]) / 1024;
}
async function ok(url) {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

let exported = 0;
const collector = createServer((request, response) => {
  request.on('data', () => undefined);
  request.on('end', () => {
    exported++;
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise((resolve) => collector.listen(0, '127.0.0.1', resolve));
const collectorUrl = `http://127.0.0.1:${collector.address().port}`;

/** A port nothing listens on now: the kernel's pick for a throwaway listener. */
async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function startOnce(mode, index) {
  // `on@other-dist`: the same mode against another build (e.g. a build of the previous commit, for before/after).
  const [telemetry, build = dist] = mode.split('@');
  const port = await freePort();
  const env = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    PORT: String(port),
    HOST: '127.0.0.1',
    DEMO_DATA: 'false',
    DATABASE_URL: databaseUrl,
    MIGRATIONS_RUN: 'true',
    JWT_SECRET: randomBytes(36).toString('base64url'),
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    // V8 flags to compare (e.g. NODE_OPTIONS=--max-semi-space-size=4) reach the service, as they would in the image.
    ...(process.env.NODE_OPTIONS ? { NODE_OPTIONS: process.env.NODE_OPTIONS } : {}),
    ...(telemetry === 'on' ? { OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl } : {}),
  };
  const load = loadavg();
  const [busy0, total0] = machineTicks();
  const t0 = performance.now();
  // The flags of `npm run start:prod` (and the image's CMD).
  const child = spawn(
    process.execPath,
    ['--max-semi-space-size=16', '--import', `./${build}/src/telemetry.js`, `${build}/src/main.js`],
    {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  // Kept for the error message only: the last lines say why a start failed.
  const keep = (chunk) => (stderr = (stderr + chunk.toString()).slice(-4000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  const exit = new Promise((resolve) =>
    child.on('exit', (code, signal) => ((exited = true), resolve({ code, signal }))),
  );
  const base = `http://127.0.0.1:${port}`;
  while (!(await ok(`${base}/health/ready`))) {
    if (exited || performance.now() - t0 > 30_000) {
      child.kill('SIGKILL');
      throw new Error(`start ${index} (${mode}) did not become ready: ${stderr.slice(-2000)}`);
    }
    await sleep(20);
  }
  const readyMs = performance.now() - t0;
  const cpuMs = processCpuMs(child.pid);
  const [busy1, total1] = machineTicks();
  const busyCores = ((busy1 - busy0) / Math.max(1, total1 - total0)) * (await import('node:os')).availableParallelism();
  for (let i = 0; i < 5; i++) await ok(`${base}/health/ready`);
  await sleep(settleMs);
  const rss = rssMb(child.pid);
  child.kill('SIGTERM');
  const { code } = await exit;
  return { mode, index, readyMs, cpuMs, rssMb: rss, load, busyCores, exitCode: code };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x, d = 0) => x.toFixed(d);

const samples = [];
console.log('start  mode  ready ms  cpu ms  RSS MB  load1  busy cores  exit');
for (let i = 0; i < runs; i++) {
  // Alternate the order too (off,on then on,off) so neither mode always follows the other.
  const order = i % 2 === 0 ? modes : [...modes].reverse();
  for (const mode of order) {
    const sample = await startOnce(mode, i);
    samples.push(sample);
    console.log(
      `${String(i + 1).padStart(5)}  ${mode.padEnd(4)}  ${fmt(sample.readyMs).padStart(8)}  ${fmt(sample.cpuMs).padStart(6)}  ${fmt(sample.rssMb, 1).padStart(6)}  ${fmt(sample.load, 2).padStart(5)}  ${fmt(sample.busyCores, 2).padStart(10)}  ${sample.exitCode}`,
    );
  }
}
console.log(
  '\nmode  starts  ready ms median (range)  cpu ms median  RSS MB median (range)  load1 range  busy cores median',
);
for (const mode of modes) {
  const of = samples.filter((s) => s.mode === mode);
  const r = of.map((s) => s.readyMs);
  const m = of.map((s) => s.rssMb);
  const l = of.map((s) => s.load);
  console.log(
    `${mode.padEnd(4)}  ${String(of.length).padStart(6)}  ${fmt(median(r))} (${fmt(Math.min(...r))}–${fmt(Math.max(...r))})`.padEnd(
      44,
    ) +
      `${fmt(median(of.map((s) => s.cpuMs))).padStart(13)}  ${fmt(median(m), 1)} (${fmt(Math.min(...m), 1)}–${fmt(Math.max(...m), 1)})`.padEnd(
        40,
      ) +
      `${fmt(Math.min(...l), 2)}–${fmt(Math.max(...l), 2)}`.padEnd(13) +
      fmt(median(of.map((s) => s.busyCores)), 2),
  );
}
console.log(`\n(collector received ${exported} export request(s))`);
if (values.json) writeFileSync(values.json, JSON.stringify(samples, null, 2));
collector.close();
