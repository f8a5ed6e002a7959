/**
 * Reads a V8 `.cpuprofile` (node --cpu-prof) and says where the CPU of one request goes, piece by piece.
 *
 * Every sample is charged to the first frame, from the leaf up, that belongs to a piece of the pipeline we can name
 * (the auth guard, the throttler, the request log, Fastify's router…): a builtin such as `Map.get` or
 * `JSON.stringify`, and Node's own modules (`node:net` writing a socket), are charged to the library that called
 * them; only what no library called (reading sockets and parsing HTTP in the event loop) stays with Node. Only the samples inside
 * the measured load window count (the profile starts with the process, start-up included), and "(idle)" is
 * dropped. Dividing by the requests answered inside the window gives µs per request on the main thread; GC and
 * "(program)" (V8 and libuv outside JavaScript: syscalls, parsing HTTP in C) are listed as their own rows.
 */
import { readFileSync } from 'node:fs';

const FASTIFY = 'Fastify: routing, hooks, reply, JSON serialization';
/** The response's write to the socket: the kernel's send (on loopback also waking the client) — not Fastify's JS. */
export const RESPONSE_WRITE = 'HTTP response write to the socket (syscall)';
const SOCKET_WRITES = new Set(['writeUtf8String', 'writeLatin1String', 'writeBuffer', 'writev', 'writeUcs2String']);

/**
 * Pieces, tested in order against a frame's script URL (and for a few, its function name); the first match wins.
 * Keep the labels stable: docs/PERFORMANCE.md quotes them.
 */
export const PIECES = [
  [
    'auth: guard, token, user-state check',
    (u) => /\/src\/platform\/auth\/|\/jsonwebtoken\/|\/@nestjs\/jwt\/|\/jws\/|\/jwa\//.test(u),
  ],
  ['identity: query handler, user cache', (u) => /\/src\/modules\/identity\//.test(u)],
  ['CQRS query bus', (u) => /\/@nestjs\/cqrs\//.test(u)],
  ['rate limit: @nestjs/throttler + storage', (u) => /\/src\/platform\/rate-limit\/|\/@nestjs\/throttler\//.test(u)],
  [
    'rate limit: Redis client (ioredis)',
    (u) =>
      /\/ioredis\/|\/redis-parser\/|\/denque\/|\/cluster-key-slot\/|\/standard-as-callback\/|\/redis-errors\//.test(u),
  ],
  [
    'request log (hook + pino)',
    (u) =>
      /\/src\/platform\/logging\/|\/pino\/|\/sonic-boom\/|\/nestjs-pino\/|\/pino-std-serializers\/|\/fast-redact\/|\/@pinojs\//.test(
        u,
      ),
  ],
  ['envelope hook', (u) => /\/src\/platform\/http\/envelope\.hook/.test(u)],
  ['security headers hook', (u) => /\/src\/platform\/http\/security-headers/.test(u)],
  ['request id', (u) => /\/src\/platform\/http\/request-id/.test(u)],
  ['strict query guard', (u) => /\/src\/platform\/http\/strict-query\.guard/.test(u)],
  [
    'validation pipe',
    (u) => /\/src\/platform\/http\/validation\.pipe|\/class-validator\/|\/class-transformer\//.test(u),
  ],
  ['edge guards (closing, envelope guard)', (u) => /\/src\/platform\/http\/edge/.test(u)],
  ['other app code (src/)', (u) => /\/(dist\/)?src\//.test(u)],
  [
    'Nest router: guards, pipes, params, interceptors',
    (u) => /\/@nestjs\/core\/|\/@nestjs\/common\/|\/rxjs\/|\/reflect-metadata\/|\/iterare\//.test(u),
  ],
  ['Nest Fastify adapter', (u) => /\/@nestjs\/platform-fastify\//.test(u)],
  [
    FASTIFY,
    (u) =>
      /\/fastify\/|\/find-my-way\/|\/@fastify\/|\/fast-json-stringify\/|\/avvio\/|\/toad-cache\/|\/light-my-request\//.test(
        u,
      ),
  ],
];

const SPECIAL = {
  '(garbage collector)': 'GC',
  '(program)': 'V8/libuv outside JS (syscalls, HTTP parser)',
  '(root)': 'V8/libuv outside JS (syscalls, HTTP parser)',
};

/**
 * @param {string} file path of a .cpuprofile
 * @param {{ fromUs: number, toUs: number }} window sample times (µs since the profile's start) to keep
 * @returns {{ rows: { piece: string, us: number, share: number }[], totalUs: number, windowUs: number,
 *   unknown: Map<string, number> }}
 */
export function analyseProfile(file, window) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  /** @type {Map<number, any>} */
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  /** @type {Map<number, number>} */
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  /** @type {Map<number, string>} memo: node id → piece */
  const pieceOf = new Map();
  /** @type {Map<string, number>} unclassified script URLs → µs (to extend PIECES) */
  const unknown = new Map();

  const NODE = 'Node: http, net, streams, timers';
  const OUTSIDE = SPECIAL['(program)'];
  const classify = (id) => {
    const memo = pieceOf.get(id);
    if (memo !== undefined) return memo;
    const node = nodes.get(id);
    const { functionName, url } = node.callFrame;
    const up = parent.get(id);
    let piece;
    if (SPECIAL[functionName] && !url) piece = SPECIAL[functionName];
    else if (functionName === '(idle)') piece = 'idle';
    else if (url && !url.startsWith('node:')) {
      piece = PIECES.find(([, test]) => test(url, functionName))?.[0] ?? `? ${url.replace(/^.*node_modules\//, '')}`;
    } else {
      // A builtin or Node's own code (a socket write, a timer) is charged to the library that called it: the
      // log's file write to the log, Redis' socket to ioredis, the response's write to Fastify. Only what no
      // library called (reading sockets, parsing HTTP, the event loop's own callbacks) stays with Node.
      const above = up === undefined ? OUTSIDE : classify(up);
      piece = above === OUTSIDE || above === 'idle' ? (url ? NODE : OUTSIDE) : above;
      if (piece === FASTIFY && !url && SOCKET_WRITES.has(functionName)) piece = RESPONSE_WRITE;
    }
    pieceOf.set(id, piece);
    return piece;
  };

  /** @type {Map<string, number>} */
  const byPiece = new Map();
  let t = 0;
  let totalUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (t < window.fromUs || t > window.toUs) continue;
    // A sample's time is the gap to the next one (the last sample gets the previous gap).
    const us = profile.timeDeltas[i + 1] ?? delta;
    const piece = classify(profile.samples[i]);
    if (piece === 'idle') continue;
    totalUs += us;
    if (piece.startsWith('? ')) {
      unknown.set(piece.slice(2), (unknown.get(piece.slice(2)) ?? 0) + us);
      byPiece.set('other libraries', (byPiece.get('other libraries') ?? 0) + us);
    } else byPiece.set(piece, (byPiece.get(piece) ?? 0) + us);
  }
  const rows = [...byPiece.entries()]
    .map(([piece, us]) => ({ piece, us, share: totalUs > 0 ? us / totalUs : 0 }))
    .sort((a, b) => b.us - a.us);
  return { rows, totalUs, windowUs: window.toUs - window.fromUs, unknown };
}
