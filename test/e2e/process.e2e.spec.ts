import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { compileForChild, repoRoot } from '../support/compile-for-child.js';
import { describeProfile, testProfile } from '../support/test-profile.js';

interface Finished {
  readonly code: number | null;
  readonly output: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
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

    child.kill('SIGTERM');
    const { code } = await finished;
    expect(code === 0 || code === null).toBe(true);
  });
});
