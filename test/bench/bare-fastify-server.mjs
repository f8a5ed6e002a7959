#!/usr/bin/env node
/**
 * Baseline for `npm run bench`: the cheapest honest answer Fastify can give to `GET /api/v1/users/me`.
 *
 * SPEC §6 states the app's target as a ratio of "a bare Fastify handler's requests/s measured in the same
 * run", so this server is deliberately bare: no logger, no hooks, no auth, no schema-compiled serializer —
 * just a route whose handler returns a constant object that has the same shape (and roughly the same size)
 * as the app's envelope, so both sides pay for the same JSON.stringify and the same bytes on the wire.
 *
 * Usage: node test/bench/bare-fastify-server.mjs [--port=N] [--exit-on-stdin-close]
 *   --port=N               port to listen on (default 0: the kernel picks a free one)
 *   --exit-on-stdin-close  exit when stdin ends; the bench passes this so that the server dies with its parent
 *                          even if the parent is killed with SIGKILL and cannot clean up
 *
 * When listening, prints exactly one line on stdout: `BARE_READY {"port":N,"pid":N,"fastify":"x.y.z"}`.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * Fastify is not a direct dependency of the project (it comes with @nestjs/platform-fastify). npm normally
 * hoists it so a bare import resolves; if a future install nests it, resolve it from the adapter's location,
 * which is the exact copy the app runs on — the one the baseline must use.
 * @returns {Promise<{ fastify: Function, version: string }>}
 */
async function loadFastify() {
  const require = createRequire(import.meta.url);
  let entry;
  try {
    entry = require.resolve('fastify');
  } catch {
    const adapterRequire = createRequire(require.resolve('@nestjs/platform-fastify'));
    entry = adapterRequire.resolve('fastify');
  }
  const mod = await import(pathToFileURL(entry).href);
  const pkgRequire = createRequire(entry);
  const version = pkgRequire('fastify/package.json').version;
  return { fastify: mod.default ?? mod, version };
}

/** The app's success envelope (SPEC §4: `{code, message, data, traceId}`) around a user resource. */
const BODY = Object.freeze({
  code: 0,
  message: 'OK',
  data: {
    id: '01968f3e-7c2a-7b1e-9a4d-3f5c2b1a0e9d',
    email: 'bench-0123456789abcdef@example.com',
    displayName: 'Bench User',
    roles: ['customer'],
    status: 'active',
    version: 1,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
  },
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
});

/** The same envelope around a product (the `--scenario=product` baseline). */
const PRODUCT_BODY = Object.freeze({
  code: 0,
  message: 'OK',
  data: {
    id: '01968f3e-7c2a-7b1e-9a4d-3f5c2b1a0e9d',
    sku: 'BENCH-0a1b2c3d',
    name: 'Bench mug',
    description: 'A product read by the bench',
    price: { amount: 1290, currency: 'EUR' },
    status: 'active',
    version: 1,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
  },
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
});

const args = process.argv.slice(2);
const portArg = args.find((a) => a.startsWith('--port='));
const port = portArg ? Number(portArg.slice('--port='.length)) : 0;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`bare-fastify-server: invalid --port: ${portArg}`);
  process.exit(2);
}

const { fastify, version } = await loadFastify();
const app = fastify({ logger: false });

app.get('/api/v1/users/me', async () => BODY);
app.get('/api/v1/products/:id', async () => PRODUCT_BODY);

/** Close the listener and exit; used for signals and for a vanished parent. */
let closing = false;
async function shutdown(code) {
  if (closing) return;
  closing = true;
  try {
    await app.close();
  } finally {
    process.exit(code);
  }
}
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGINT', () => void shutdown(0));
if (args.includes('--exit-on-stdin-close')) {
  process.stdin.on('end', () => void shutdown(0));
  process.stdin.on('error', () => void shutdown(0));
  process.stdin.resume();
}

await app.listen({ host: '127.0.0.1', port });
const address = app.server.address();
const listeningPort = typeof address === 'object' && address ? address.port : port;
process.stdout.write(`BARE_READY ${JSON.stringify({ port: listeningPort, pid: process.pid, fastify: version })}\n`);
