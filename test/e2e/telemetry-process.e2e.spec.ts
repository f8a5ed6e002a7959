import { spawn, type ChildProcess } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { compileForChild, repoRoot } from '../support/compile-for-child.js';
import { freePort } from '../support/free-port.js';
import { describeProfile, testProfile } from '../support/test-profile.js';

interface ExportedSpan {
  readonly scope: string;
  readonly name: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly kind: number;
  readonly service: string | undefined;
}

interface OtlpJson {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
    scopeSpans?: {
      scope?: { name?: string };
      spans?: { name: string; traceId: string; spanId: string; parentSpanId?: string; kind: number }[];
    }[];
  }[];
}

/** A stand-in OpenTelemetry collector: accepts OTLP/HTTP JSON trace exports and keeps their spans. */
async function startCollector(): Promise<{ server: Server; port: number; spans: ExportedSpan[]; posts: number[] }> {
  const spans: ExportedSpan[] = [];
  const posts: number[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      posts.push(Date.now());
      const parsed = JSON.parse(body) as OtlpJson;
      for (const resourceSpans of parsed.resourceSpans ?? []) {
        const service = resourceSpans.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue;
        for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
          for (const span of scopeSpans.spans ?? []) {
            spans.push({
              scope: scopeSpans.scope?.name ?? '',
              name: span.name,
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId ?? '',
              kind: span.kind,
              service,
            });
          }
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, port, spans, posts };
}

/**
 * `npm run start:prod` as an operator runs it: `node --import <telemetry preload> main.js`, against a local stand-in
 * collector (OTLP/HTTP JSON, no network). Covers what only the real process shows: the import-in-the-middle hooks
 * instrumenting mysql2 and ioredis (server profile), the HTTP server span, the OTel ids in the log lines and the
 * envelope, the export happening on SIGTERM (Nest's shutdown hook), and no tracing at all without an endpoint.
 */
describe(describeProfile('telemetry preload (start:prod)'), () => {
  const profile = testProfile();
  let outDir: string;
  let workDir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    const compiled = await compileForChild(['src/main.ts', 'src/telemetry.ts']);
    workDir = compiled.workDir;
    outDir = compiled.outDir;
  }, 120_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await rm(workDir, { recursive: true, force: true });
  });

  async function startService(env: Record<string, string>, preloads: string[] = []) {
    const port = await freePort();
    let output = '';
    const imports = [join(outDir, 'src/telemetry.js'), ...preloads].flatMap((file) => ['--import', file]);
    const child = spawn(process.execPath, [...imports, join(outDir, 'src/main.js')], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        PORT: String(port),
        HOST: '127.0.0.1',
        DEMO_DATA: 'false',
        ...(profile.kind === 'server'
          ? {
              DATABASE_URL: profile.databaseUrl,
              MIGRATIONS_RUN: 'true',
              JWT_SECRET: 'telemetry-process-test-secret-of-32-bytes-or-more',
              ...(profile.redisUrl === undefined ? {} : { REDIS_URL: profile.redisUrl }),
            }
          : { EMBEDDED_DB_FILE: join(workDir, `telemetry-${port}.sqlite`) }),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const base = `http://127.0.0.1:${port}`;
    await vi.waitFor(async () => expect((await fetch(`${base}/health/ready`)).status).toBe(200), {
      timeout: 30_000,
      interval: 100,
    });
    const logLines = () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    return { child, base, exited, output: () => output, logLines };
  }

  async function register(base: string, label: string) {
    const response = await fetch(`${base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: `${label}-${Date.now()}@test.example`,
        password: 'password-1234',
        displayName: 'T',
      }),
    });
    const body = (await response.json()) as { traceId: string };
    return { status: response.status, traceId: body.traceId, requestId: response.headers.get('x-request-id') };
  }

  it('traces a request end to end (HTTP, command, database/Redis spans), logs its ids, exports on SIGTERM', async () => {
    const collector = await startCollector();
    try {
      const service = await startService({
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collector.port}`,
        // Nothing is exported on a timer during the test: what arrives, arrives through the shutdown hook.
        OTEL_BSP_SCHEDULE_DELAY: '600000',
      });
      expect(service.output()).toContain(`Tracing: OTLP/HTTP to http://127.0.0.1:${collector.port}`);
      const registered = await register(service.base, 'otel');
      expect(registered.status).toBe(201);
      expect(registered.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(registered.requestId).not.toBe(registered.traceId);

      // The request line: the OTel trace and server span ids, the request id kept as requestId.
      await vi.waitFor(() => expect(service.output()).toContain(`"requestId":"${registered.requestId}"`), {
        timeout: 5_000,
      });
      const line = service.logLines().find((candidate) => candidate.requestId === registered.requestId);
      expect(line).toMatchObject({ traceId: registered.traceId, url: '/api/v1/auth/register', statusCode: 201 });
      expect(line?.spanId).toMatch(/^[0-9a-f]{16}$/);

      expect(collector.posts).toHaveLength(0);
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      expect(collector.posts.length).toBeGreaterThan(0);

      const trace = collector.spans.filter((span) => span.traceId === registered.traceId);
      const server = trace.find((span) => span.name === 'POST /api/v1/auth/register');
      expect(server).toMatchObject({
        scope: 'orderly',
        kind: 2, // SPAN_KIND_SERVER
        parentSpanId: '',
        service: 'orderly',
      });
      expect(server?.spanId).toBe(line?.spanId);
      const command = trace.find((span) => span.name === 'command RegisterUserHandler');
      expect(command).toMatchObject({ scope: 'orderly', parentSpanId: server?.spanId });
      if (profile.kind === 'server') {
        const queries = trace.filter((span) => span.scope === '@opentelemetry/instrumentation-mysql2');
        expect(queries.map((span) => span.name)).toContain('INSERT');
        expect(
          queries.every((span) => span.parentSpanId === command?.spanId || span.parentSpanId === server?.spanId),
        ).toBe(true);
        if (profile.redisUrl !== undefined) {
          expect(trace.some((span) => span.scope === '@opentelemetry/instrumentation-ioredis')).toBe(true);
        }
        // No trace starts with a query outside a request (start-up, relay polls): every mysql2 span has a parent.
        expect(
          collector.spans.filter(
            (span) => span.scope === '@opentelemetry/instrumentation-mysql2' && span.parentSpanId === '',
          ),
        ).toEqual([]);
      }
      // Probes are not traced.
      expect(collector.spans.some((span) => span.name.includes('/health'))).toBe(false);
    } finally {
      collector.server.close();
    }
  });

  it('the fatal-error policy exports the buffered spans before the process exits non-zero on an uncaught exception', async () => {
    // A second preload, for this test only: SIGUSR2 makes the service throw outside any handler, as a bug would.
    const crash = join(workDir, 'throw-on-sigusr2.mjs');
    await writeFile(
      crash,
      "process.on('SIGUSR2', () => setImmediate(() => { throw new Error('telemetry-process: thrown on SIGUSR2'); }));\n",
    );
    const collector = await startCollector();
    try {
      const service = await startService(
        {
          OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collector.port}`,
          // No export on a timer: whatever reaches the collector is flushed on the way out.
          OTEL_BSP_SCHEDULE_DELAY: '600000',
        },
        [crash],
      );
      const registered = await register(service.base, 'fatal');
      expect(registered.status).toBe(201);
      await vi.waitFor(() => expect(service.output()).toContain(`"requestId":"${registered.requestId}"`), {
        timeout: 5_000,
      });
      expect(collector.posts).toHaveLength(0);

      const killedAt = Date.now();
      service.child.kill('SIGUSR2');
      expect(await service.exited).toBe(1);
      // The exit waits for the export (bounded by the policy's grace period, 2 s), it does not race it.
      expect(Date.now() - killedAt).toBeLessThan(5_000);

      // Logged once, as fatal, with the error.
      const fatal = service.logLines().filter((line) => line.kind === 'uncaughtException');
      expect(fatal).toHaveLength(1);
      expect(JSON.stringify(fatal[0])).toContain('telemetry-process: thrown on SIGUSR2');
      expect(collector.posts.length).toBeGreaterThan(0);
      const trace = collector.spans.filter((span) => span.traceId === registered.traceId);
      expect(trace.map((span) => span.name)).toEqual(
        expect.arrayContaining(['POST /api/v1/auth/register', 'command RegisterUserHandler']),
      );
    } finally {
      collector.server.close();
    }
  });

  it('without OTEL_EXPORTER_OTLP_ENDPOINT the preload starts nothing: the request id is the trace id, as before', async () => {
    const service = await startService({});
    expect(service.output()).not.toContain('Tracing:');
    const registered = await register(service.base, 'plain');
    expect(registered.status).toBe(201);
    expect(registered.traceId).toBe(registered.requestId);
    await vi.waitFor(() => expect(service.output()).toContain(`"traceId":"${registered.requestId}"`), {
      timeout: 5_000,
    });
    const line = service.logLines().find((candidate) => candidate.traceId === registered.requestId);
    expect(line).not.toHaveProperty('requestId');
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
  });
});
