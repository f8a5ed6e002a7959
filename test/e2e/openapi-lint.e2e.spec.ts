import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { describeProfile } from '../support/test-profile.js';

const ROOT = join(import.meta.dirname, '..', '..');
const REDOCLY = join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
const CONFIG = join(ROOT, 'redocly.yaml');

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer?: string }[] }[];
}

interface Operation {
  security?: unknown;
  description?: string;
  responses: Record<string, { content?: Record<string, { example?: Record<string, unknown> }> }>;
}

interface Document {
  paths: Record<string, Record<string, Operation>>;
  tags: { name: string; description?: string }[];
  servers?: unknown;
}

/** `redocly lint` (the installed devDependency, on this Node) with the repository's redocly.yaml, as JSON. */
async function lint(document: unknown, folder: string): Promise<LintReport> {
  const file = join(folder, `openapi-${Date.now()}.json`);
  await writeFile(file, JSON.stringify(document));
  const run = await promisify(execFile)(
    process.execPath,
    [REDOCLY, 'lint', file, '--config', CONFIG, '--format', 'json'],
    // No telemetry, no update check: CI runs offline and must not phone home.
    { cwd: ROOT, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
  ).catch((failure: { stdout?: string; stderr?: string }) => ({
    stdout: failure.stdout ?? '',
    stderr: failure.stderr,
  }));
  try {
    return JSON.parse(run.stdout) as LintReport;
  } catch {
    throw new Error(`redocly lint printed no report:\n${run.stdout}\n${run.stderr}`);
  }
}

/**
 * Issue #11: the OpenAPI document the app actually serves passes Redocly CLI's recommended rules (plus the stricter
 * ones in redocly.yaml) with no error and no warning. Routes added later are linted without editing this test.
 */
describe(describeProfile('the served OpenAPI document passes Redocly CLI (redocly.yaml)'), () => {
  let testApp: TestApp;
  let folder: string;
  let served: Document;

  beforeAll(async () => {
    testApp = await createTestApp();
    folder = await mkdtemp(join(tmpdir(), 'orderly-openapi-'));
    served = (await testApp.request({ method: 'GET', url: '/docs-json' })).json<Document>();
  });
  afterAll(async () => {
    await testApp?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('has no error and no warning', async () => {
    const report = await lint(served, folder);
    const problems = report.problems.map(
      (problem) =>
        `${problem.severity} ${problem.ruleId} at ${problem.location[0]?.pointer ?? '?'}: ${problem.message}`,
    );
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  // The lint must be able to fail: the same document with the defects issue #11 found (and others the config
  // forbids) is refused, each by the rule that guards it.
  it('refuses the defects the config guards against', async () => {
    const broken = structuredClone(served);
    const login = broken.paths['/api/v1/auth/login']?.post;
    const example = broken.paths['/api/v1/users/me']?.get?.responses['400']?.content?.['application/json']?.example;
    if (login === undefined || example === undefined)
      throw new Error('the document lost POST /auth/login or an example');
    delete login.security;
    delete login.description;
    delete broken.servers;
    broken.tags = broken.tags.filter((tag) => tag.name !== 'auth');
    example.code = 'not a number';
    const report = await lint(broken, folder);
    expect(new Set(report.problems.map((problem) => problem.ruleId))).toEqual(
      new Set([
        'security-defined',
        'operation-description',
        'no-empty-servers',
        'operation-tag-defined',
        'no-invalid-media-type-examples',
      ]),
    );
  });
});
