import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { compileForChild, repoRoot } from '../support/compile-for-child.js';
import { freePort } from '../support/free-port.js';
import { describeProfile, testProfile } from '../support/test-profile.js';

interface Finished {
  readonly code: number | null;
  readonly output: string;
}

type Answer = { readonly status: number; readonly body: string } | { readonly error: string };

/**
 * A client that uploads its body slowly: the headers and half the JSON body go out now, the rest when `finish` is
 * called. The server has accepted the request (its onRequest hooks ran) but cannot answer before the rest arrives —
 * a real in-flight request, with no test-only route in the service.
 */
function slowUpload(port: number, path: string, payload: object): { finish: () => void; answer: Promise<Answer> } {
  const body = Buffer.from(JSON.stringify(payload));
  const half = Math.floor(body.length / 2);
  const req = request({
    host: '127.0.0.1',
    port,
    path,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': body.length },
  });
  const answer = new Promise<Answer>((resolve) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', (error) => resolve({ error: error.message }));
    });
    req.on('error', (error) => resolve({ error: error.message }));
  });
  req.flushHeaders();
  req.write(body.subarray(0, half));
  return { finish: () => req.end(body.subarray(half)), answer };
}

/** Resolves once nothing answers 200 on readiness any more: 503, or the listener already closed. */
async function notReady(base: string): Promise<boolean> {
  try {
    return (await fetch(`${base}/health/ready`)).status !== 200;
  } catch {
    return true;
  }
}

/**
 * The compiled service as an operator runs it: `node dist/src/main.js` with an environment. These tests cover what
 * only a real process shows — the start-up banner, exit codes, configuration errors, SIGTERM.
 */
describe.skipIf(testProfile().kind === 'server')(describeProfile('the service process'), () => {
  let main: string;
  let workDir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    const compiled = await compileForChild(['src/main.ts']);
    workDir = compiled.workDir;
    main = join(compiled.outDir, 'src/main.js');
  }, 120_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await rm(workDir, { recursive: true, force: true });
  });

  function start(env: Record<string, string>): {
    child: ChildProcess;
    finished: Promise<Finished>;
    output: () => string;
  } {
    let output = '';
    const child = spawn(process.execPath, [main], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const finished = new Promise<Finished>((resolve) => child.on('exit', (code) => resolve({ code, output })));
    return { child, finished, output: () => output };
  }

  it('refuses an invalid configuration with exit code 1 and one message naming every bad variable', async () => {
    const { finished } = start({
      PORT: 'eighty',
      REQUEST_TIMEOUT: 'soon',
      RATE_LIMIT_FAIL_MODE: 'maybe',
      DATABASE_URL: 'mysql://u@h/db',
    });
    const { code, output } = await finished;
    expect(code).toBe(1);
    for (const variable of ['PORT', 'REQUEST_TIMEOUT', 'RATE_LIMIT_FAIL_MODE', 'JWT_SECRET'])
      expect(output).toContain(variable);
  });

  it('starts on the embedded profile, prints where the docs are and how to log in, serves, and stops on SIGTERM', async () => {
    const port = await freePort();
    const { child, finished, output } = start({
      PORT: String(port),
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      EMBEDDED_DB_FILE: join(workDir, 'var', 'orderly.sqlite'),
    });
    const base = `http://127.0.0.1:${port}`;
    await vi.waitFor(
      async () => {
        const ready = await fetch(`${base}/health/ready`);
        expect(ready.status).toBe(200);
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(output()).toContain(`http://localhost:${port}/docs`);
    expect(output()).toContain('customer@orderly.local / orderly-customer');
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'customer@orderly.local', password: 'orderly-customer' }),
    });
    expect(login.status).toBe(200);
    expect((await fetch(`${base}/docs`)).status).toBe(200);

    // Request lines: JSON, tagged with the id the client saw, never carrying credentials.
    const secret = 'never-log-this-password-42';
    const registered = await fetch(`${base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'logged@test.example', password: secret, displayName: 'Logged' }),
    });
    expect(registered.status).toBe(201);
    const requestId = registered.headers.get('x-request-id');
    await vi.waitFor(() => expect(output()).toContain(`"traceId":"${requestId}"`), { timeout: 5_000 });
    const line = output()
      .split('\n')
      .find((candidate) => candidate.includes(`"traceId":"${requestId}"`));
    expect(JSON.parse(line ?? '{}')).toMatchObject({ method: 'POST', url: '/api/v1/auth/register', statusCode: 201 });
    expect(output()).not.toContain(secret);
    // Probes and Prometheus scrapes are not request lines (they come every few seconds).
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
    await fetch(`${base}/api/v1/products?limit=1`);
    await vi.waitFor(() => expect(output()).toContain('"url":"/api/v1/products?limit=1"'), { timeout: 5_000 });
    expect(output()).not.toMatch(/"url":"\/(health|metrics)/);

    child.kill('SIGTERM');
    const { code } = await finished;
    expect(code).toBe(0);
  });

  async function startReady(env: Record<string, string>) {
    const port = await freePort();
    const started = start({
      PORT: String(port),
      HOST: '127.0.0.1',
      EMBEDDED_DB_FILE: join(workDir, 'var', `shutdown-${port}.sqlite`),
      DEMO_DATA: 'false',
      ...env,
    });
    const base = `http://127.0.0.1:${port}`;
    await vi.waitFor(async () => expect((await fetch(`${base}/health/ready`)).status).toBe(200), {
      timeout: 20_000,
      interval: 100,
    });
    return { ...started, port, base };
  }

  /** Long enough on localhost for the half-sent request to have reached the service's onRequest hooks. */
  const IN_FLIGHT_MS = 300;

  it('on SIGTERM stops taking traffic, lets a request in flight finish, and exits 0 (SHUTDOWN_GRACE_MS)', async () => {
    const { child, finished, port, base } = await startReady({ SHUTDOWN_GRACE_MS: '10000' });
    const email = `drain-${Date.now()}@test.example`;
    const upload = slowUpload(port, '/api/v1/auth/register', { email, password: 'drain-password-1', displayName: 'D' });
    await new Promise((resolve) => setTimeout(resolve, IN_FLIGHT_MS));

    child.kill('SIGTERM');
    await vi.waitFor(async () => expect(await notReady(base)).toBe(true), { timeout: 5_000, interval: 20 });
    upload.finish();

    const answer = await upload.answer;
    const answeredAt = Date.now();
    expect(answer).toMatchObject({ status: 201 });
    expect(answer).toHaveProperty('body', expect.stringContaining(email));
    expect((await finished).code).toBe(0);
    // Not held up by the answered request's keep-alive connection (Node would wait out its 5 s timeout).
    expect(Date.now() - answeredAt).toBeLessThan(2_500);
  });

  it('cuts what is still in flight when the grace period is over and exits 1 within grace + margin', async () => {
    const graceMs = 300;
    const { child, finished, output, port } = await startReady({ SHUTDOWN_GRACE_MS: String(graceMs) });
    const upload = slowUpload(port, '/api/v1/auth/register', { email: 'never@test.example', password: 'x' });
    await new Promise((resolve) => setTimeout(resolve, IN_FLIGHT_MS));

    const signalledAt = Date.now();
    child.kill('SIGTERM');
    const { code } = await finished;
    const elapsed = Date.now() - signalledAt;

    expect(code).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(graceMs - 50);
    // FORCED_EXIT_MARGIN_MS (1 s) is the bound; the rest is slack for a loaded 2-core machine.
    expect(elapsed).toBeLessThan(graceMs + 1_000 + 1_000);
    expect(await upload.answer).toHaveProperty('error');
    expect(output()).toMatch(/shutdown grace period over: closed [1-9]\d* open connection/);
  });
});
