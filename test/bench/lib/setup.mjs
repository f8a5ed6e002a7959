/**
 * Environment preparation for the app half of the bench: a fresh MySQL/MariaDB database, an optional clean
 * Redis database, and small HTTP helpers for readiness polling and the register/login handshake.
 *
 * Why a fresh database every run: the figures must not depend on leftovers (a big users table, stale
 * outbox rows, half-applied migrations of an older build). Why `Connection: close` for setup requests: an
 * idle keep-alive socket from the orchestrator would otherwise sit in the app during the load phases.
 */
import http from 'node:http';

import mysql from 'mysql2/promise';
import Redis from 'ioredis';

/**
 * Drop and re-create the database named in a `mysql://user[:pass]@host[:port]/db` URL (utf8mb4, because
 * MariaDB here defaults to latin1 — TOOLCHAIN "Traps"). Refuses names without "bench" in them: this
 * function drops a database, and a mistyped `BENCH_DATABASE_URL` must not cost anyone their data.
 * @param {string} databaseUrl
 */
export async function resetDatabase(databaseUrl) {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(database) || !database.includes('bench')) {
    throw new Error(`refusing to drop database "${database}": the bench only recreates databases named *bench*`);
  }
  const connection = await mysql.createConnection({
    host: url.hostname,
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password || ''),
    connectTimeout: 5000,
  });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await connection.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await connection.end();
  }
}

/**
 * PING the Redis at `redisUrl`; when it answers, FLUSHDB its database (the URL's `/n`) so that cache
 * entries and rate-limit counters of a previous run do not leak in.
 * @returns {Promise<{ ok: true } | { ok: false, reason: string }>}
 */
export async function prepareRedis(redisUrl, timeoutMs = 1500) {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
  });
  redis.on('error', () => {
    /* reported through the rejected command below */
  });
  try {
    await redis.connect();
    const pong = await redis.ping();
    if (pong !== 'PONG') return { ok: false, reason: `PING answered ${pong}` };
    await redis.flushdb();
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  } finally {
    redis.disconnect();
  }
}

/**
 * One HTTP request without keep-alive. Never throws for HTTP statuses; throws on network errors/timeouts.
 * @param {string} baseUrl e.g. http://127.0.0.1:3000
 * @param {string} method
 * @param {string} path
 * @param {{ body?: unknown, headers?: Record<string, string>, timeoutMs?: number }} [options]
 * @returns {Promise<{ status: number, headers: import('node:http').IncomingHttpHeaders, text: string,
 *   json: any, bytes: number }>}
 */
export function request(baseUrl, method, path, { body, headers = {}, timeoutMs = 5000 } = {}) {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(path, baseUrl),
      {
        method,
        agent: false,
        timeout: timeoutMs,
        headers: {
          accept: 'application/json',
          ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, bytes: Buffer.byteLength(text) });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Poll `GET <path>` every 25 ms until it answers 200, the process exits, or the timeout passes.
 * @param {string} baseUrl
 * @param {string} path
 * @param {{ timeoutMs: number, hasExited: () => boolean }} options
 * @returns {Promise<{ ok: true } | { ok: false, reason: string }>}
 */
export async function waitForOk(baseUrl, path, { timeoutMs, hasExited }) {
  const deadline = performance.now() + timeoutMs;
  let last = 'no answer yet';
  while (performance.now() < deadline) {
    if (hasExited()) return { ok: false, reason: `the process exited (last probe: ${last})` };
    try {
      const res = await request(baseUrl, 'GET', path, { timeoutMs: 1000 });
      if (res.status === 200) return { ok: true };
      last = `${res.status} ${res.text.slice(0, 200)}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { ok: false, reason: `timed out after ${timeoutMs} ms (last probe: ${last})` };
}
