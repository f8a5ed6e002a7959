/**
 * Child-process bookkeeping and /proc readings for the bench.
 *
 * Why this exists: a benchmark that leaves a NestJS app or a Fastify server running after Ctrl-C (or after a
 * crash of the script) holds a port, a MySQL pool and a Redis connection, and silently skews the next run.
 * Every child is therefore spawned in its own process group (so wrappers such as `npm run …` die together
 * with the node process they start) and registered here; `installCleanupHandlers` kills every group on
 * exit, on SIGINT/SIGTERM/SIGHUP and on an uncaught error.
 *
 * The /proc readers give the figures autocannon cannot: resident memory (SPEC §6 "idle RSS") and CPU time
 * per process, from which the bench derives CPU µs per request and how much CPU *other* processes burnt
 * during a measurement (the main source of noise on a shared 2-core machine).
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, openSync, fstatSync, readSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';

/** @typedef {{ name: string, child: import('node:child_process').ChildProcess, pid: number,
 *   exited: Promise<{ code: number | null, signal: string | null }>, hasExited: () => boolean }} Tracked */

/** @type {Set<Tracked>} */
const live = new Set();

/**
 * Spawn a child in its own process group and track it until it exits.
 * @param {string} name label used in messages
 * @param {string} command executable
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} options
 * @returns {Tracked}
 */
export function spawnTracked(name, command, args, options) {
  const child = spawn(command, args, { ...options, detached: true });
  let done = false;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      live.delete(entry);
      resolve({ code, signal });
    });
    child.once('error', (err) => {
      done = true;
      live.delete(entry);
      console.error(`[bench] could not start ${name}: ${err.message}`);
      resolve({ code: -1, signal: null });
    });
  });
  /** @type {Tracked} */
  const entry = { name, child, pid: child.pid ?? -1, exited, hasExited: () => done };
  if (child.pid) live.add(entry);
  return entry;
}

/** Send a signal to the child's whole process group; ignore "no such process". */
function signalGroup(entry, signal) {
  try {
    process.kill(-entry.pid, signal);
  } catch {
    try {
      entry.child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/**
 * SIGTERM the child's group, wait up to `graceMs`, then SIGKILL it.
 * @returns {Promise<{ ms: number, forced: boolean, code: number | null, signal: string | null }>}
 */
export async function stopTracked(entry, graceMs = 5000) {
  const t0 = performance.now();
  if (entry.hasExited()) return { ms: 0, forced: false, ...(await entry.exited) };
  signalGroup(entry, 'SIGTERM');
  let timer;
  const timedOut = new Promise((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  const first = await Promise.race([entry.exited, timedOut]);
  clearTimeout(timer);
  let forced = false;
  if (first === 'timeout') {
    forced = true;
    signalGroup(entry, 'SIGKILL');
  }
  const result = await entry.exited;
  return { ms: Math.round(performance.now() - t0), forced, ...result };
}

/** Stop every tracked child (in parallel). */
export async function stopAll(graceMs = 3000) {
  await Promise.all([...live].map((entry) => stopTracked(entry, graceMs)));
}

/**
 * Make sure no child outlives the bench, whatever way the bench ends. Signals stop children gracefully
 * (short grace); the synchronous `exit` hook is the last resort and can only SIGKILL.
 */
export function installCleanupHandlers() {
  let stopping = false;
  const onSignal = (signal, code) => {
    if (stopping) return;
    stopping = true;
    console.error(`\n[bench] ${signal}: stopping child processes…`);
    stopAll(2000).finally(() => process.exit(code));
  };
  process.once('SIGINT', () => onSignal('SIGINT', 130));
  process.once('SIGTERM', () => onSignal('SIGTERM', 143));
  process.once('SIGHUP', () => onSignal('SIGHUP', 129));
  process.on('exit', () => {
    for (const entry of live) signalGroup(entry, 'SIGKILL');
  });
}

/** Ask the kernel for a free TCP port on 127.0.0.1 (tiny race until the child binds it; fine here). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** Last `lines` lines of a (possibly large) text file, reading at most its last 64 KiB. */
export function tailFile(path, lines = 40) {
  let fd;
  try {
    fd = openSync(path, 'r');
    const { size } = fstatSync(fd);
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer
      .toString('utf8')
      .split('\n')
      .slice(-lines - 1)
      .join('\n');
  } catch (err) {
    return `(cannot read ${path}: ${err.message})`;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The last `maxLines` lines matching `pattern` within the final `scanBytes` of a file. Used after a failed
 * load phase: the app's log then holds millions of "200" lines and a plain tail would show none of the
 * interesting ones.
 */
export function grepTail(path, pattern, maxLines = 20, scanBytes = 16 * 1024 * 1024) {
  let fd;
  try {
    fd = openSync(path, 'r');
    const { size } = fstatSync(fd);
    const length = Math.min(size, scanBytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer
      .toString('utf8')
      .split('\n')
      .filter((line) => pattern.test(line))
      .slice(-maxLines);
  } catch {
    return [];
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------------------
// /proc readings (Linux only; every reader returns null/0 instead of throwing when /proc is unavailable)
// ---------------------------------------------------------------------------------------------------------

/**
 * Parse /proc/<pid>/stat → { ppid, ticks, childTicks }: utime + stime, and cutime + cstime (CPU of the children
 * this process has waited for), in clock ticks.
 */
function readStat(pid) {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may contain spaces and parentheses: split after the last ')'.
    const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    return {
      ppid: Number(fields[1]),
      ticks: Number(fields[11]) + Number(fields[12]),
      childTicks: Number(fields[13]) + Number(fields[14]),
    };
  } catch {
    return null;
  }
}

/** `pid` and all its descendants (a wrapper command like `npm start` puts node one level down). */
export function processTree(pid) {
  /** @type {Map<number, number[]>} */
  const childrenOf = new Map();
  let entries;
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return [pid];
  }
  for (const d of entries) {
    const stat = readStat(d);
    if (!stat) continue;
    const list = childrenOf.get(stat.ppid) ?? [];
    list.push(Number(d));
    childrenOf.set(stat.ppid, list);
  }
  const out = [];
  const queue = [pid];
  while (queue.length) {
    const p = /** @type {number} */ (queue.shift());
    out.push(p);
    queue.push(...(childrenOf.get(p) ?? []));
  }
  return out;
}

/**
 * Pids of the processes whose command name (/proc/<pid>/comm) is one of `names`: the local Redis and database,
 * whose CPU is the app's doing during its phases, not noise from strangers.
 * @param {string[]} names
 */
export function pidsByName(names) {
  const out = [];
  let entries;
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const d of entries) {
    try {
      if (names.includes(readFileSync(`/proc/${d}/comm`, 'utf8').trim())) out.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return out;
}

/** One `VmXxx:` field of /proc/<pid>/status, in bytes (0 when unreadable). */
function statusField(pid, field) {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Resident memory of a process tree: current (VmRSS) and peak (VmHWM), summed over the tree.
 * @returns {{ rss: number, peak: number }} bytes
 */
export function treeMemory(pid) {
  let rss = 0;
  let peak = 0;
  for (const p of processTree(pid)) {
    rss += statusField(p, 'VmRSS');
    peak += statusField(p, 'VmHWM');
  }
  return { rss, peak };
}

/** CPU time (user + system, clock ticks) used so far by a process tree. */
export function treeCpuTicks(pid) {
  let ticks = 0;
  for (const p of processTree(pid)) ticks += readStat(p)?.ticks ?? 0;
  return ticks;
}

/** CPU time (ticks) used so far by this process (the load generator). */
export function selfCpuTicks() {
  return readStat(process.pid)?.ticks ?? 0;
}

/**
 * CPU time (ticks) of this process's children that have exited and been reaped (wrk, once its 'exit' event has
 * fired). Children still running (the servers) are not in it.
 */
export function childrenCpuTicks() {
  return readStat(process.pid)?.childTicks ?? 0;
}

/**
 * Machine-wide CPU counters from /proc/stat: `busy` = user + nice + system ticks (all processes),
 * `steal` = ticks the hypervisor gave to someone else (a VM-level noise source).
 */
export function machineCpuTicks() {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const [user, nice, system, , , , , steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return { busy: user + nice + system, steal: steal ?? 0 };
  } catch {
    return { busy: 0, steal: 0 };
  }
}

/**
 * Clock ticks per second for /proc/<pid>/stat. Linux fixes USER_HZ at 100 on every architecture Node
 * supports; reading it would need `getconf`, a subprocess for a constant.
 */
export const TICKS_PER_SECOND = 100;
