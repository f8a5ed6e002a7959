/**
 * One load phase: autocannon against a URL, plus the CPU accounting around it.
 *
 * Why not just autocannon's own result: its latency histogram has a 1 ms resolution (sub-millisecond
 * latencies are truncated to whole milliseconds), which makes p50 on a fast local server read "0" or "1".
 * We record every response time ourselves in a 10 µs-bucket histogram via autocannon's `response` event;
 * the listener costs well under a microsecond and is the same for both targets.
 * Request counts, status codes, errors and timeouts still come from autocannon.
 */
import autocannon from 'autocannon';

import { machineCpuTicks, selfCpuTicks, treeCpuTicks, treeMemory, TICKS_PER_SECOND } from './children.mjs';

/** Latency histogram: 10 µs buckets up to 100 ms, exact values kept above that (rare by construction). */
export class LatencyHistogram {
  static BUCKET_MS = 0.01;
  static BUCKETS = 10_000;

  constructor() {
    this.counts = new Uint32Array(LatencyHistogram.BUCKETS);
    /** @type {number[]} */
    this.overflow = [];
    this.total = 0;
    this.max = 0;
  }

  /** @param {number} ms */
  record(ms) {
    const i = Math.floor(ms / LatencyHistogram.BUCKET_MS);
    if (i < LatencyHistogram.BUCKETS) this.counts[i]++;
    else this.overflow.push(ms);
    this.total++;
    if (ms > this.max) this.max = ms;
  }

  /**
   * Value at percentile `p` (0–100), as the bucket's upper edge: conservative, never flatters a target.
   * @returns {number | null} milliseconds, null when nothing was recorded
   */
  percentile(p) {
    if (this.total === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (seen >= rank) return (i + 1) * LatencyHistogram.BUCKET_MS;
    }
    const sorted = [...this.overflow].sort((a, b) => a - b);
    return sorted[rank - seen - 1];
  }
}

/**
 * @typedef {object} LoadResult
 * @property {number} rps completed requests per second over the phase
 * @property {number} requests completed requests
 * @property {number} durationS actual duration (seconds)
 * @property {number | null} p50 ms
 * @property {number | null} p90 ms
 * @property {number | null} p99 ms
 * @property {number} maxMs
 * @property {number} non2xx
 * @property {number} errors
 * @property {number} timeouts
 * @property {Record<string, number>} statusCodes
 * @property {number} bytesPerResponse average response size (headers + body) as autocannon counted it
 * @property {number | null} serverCpuUsPerReq CPU of the server's process tree per request (µs)
 * @property {number | null} genCpuUsPerReq CPU of this process (autocannon) per request (µs)
 * @property {number} otherCores CPU used by processes other than the bench's, in cores (user+system)
 * @property {number} stealCores CPU stolen by the hypervisor during the phase, in cores
 * @property {number} idleCores CPU used by the bench's *other* (supposedly idle) server during the phase, in
 *   cores: background timers of the idle app would steal CPU from the loaded baseline
 * @property {number} serverRss resident memory of the loaded server's process tree right after the phase
 */

/**
 * Run autocannon for `durationS` seconds and measure CPU around it.
 * @param {{ url: string, headers?: Record<string, string>, connections: number, pipelining: number,
 *   durationS: number, serverPid: number, otherPids?: number[] }} options
 *   `otherPids`: bench-owned processes that are idle during this phase (the other server) — their CPU is
 *   subtracted from "other processes" so that the noise figure is about strangers only.
 * @returns {Promise<LoadResult>}
 */
export async function runLoad({ url, headers = {}, connections, pipelining, durationS, serverPid, otherPids = [] }) {
  const histogram = new LatencyHistogram();
  const before = snapshot(serverPid, otherPids);
  const instance = autocannon({
    url,
    headers,
    connections,
    pipelining,
    duration: durationS,
    timeout: 10,
  });
  instance.on('response', (_client, _statusCode, _bytes, responseTimeMs) => histogram.record(responseTimeMs));
  const result = await instance;
  const after = snapshot(serverPid, otherPids);

  const elapsedS = (after.t - before.t) / 1000;
  const requests = result.requests.total;
  const ticksToUs = 1e6 / TICKS_PER_SECOND;
  const serverTicks = after.server - before.server;
  const genTicks = after.self - before.self;
  const idleTicks = after.others - before.others;
  const ownTicks = serverTicks + genTicks + idleTicks;
  const machineBusy = after.machine.busy - before.machine.busy;

  /** @type {Record<string, number>} */
  const statusCodes = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = count;

  return {
    rps: requests / result.duration,
    requests,
    durationS: result.duration,
    p50: histogram.percentile(50),
    p90: histogram.percentile(90),
    p99: histogram.percentile(99),
    maxMs: histogram.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    bytesPerResponse: requests > 0 ? result.throughput.total / requests : 0,
    serverCpuUsPerReq: requests > 0 ? (serverTicks * ticksToUs) / requests : null,
    genCpuUsPerReq: requests > 0 ? (genTicks * ticksToUs) / requests : null,
    otherCores: Math.max(0, machineBusy - ownTicks) / TICKS_PER_SECOND / elapsedS,
    stealCores: (after.machine.steal - before.machine.steal) / TICKS_PER_SECOND / elapsedS,
    idleCores: idleTicks / TICKS_PER_SECOND / elapsedS,
    serverRss: treeMemory(serverPid).rss,
  };
}

/** CPU counters at one instant. */
function snapshot(serverPid, otherPids) {
  return {
    t: performance.now(),
    server: treeCpuTicks(serverPid),
    self: selfCpuTicks(),
    others: otherPids.reduce((sum, pid) => sum + treeCpuTicks(pid), 0),
    machine: machineCpuTicks(),
  };
}
