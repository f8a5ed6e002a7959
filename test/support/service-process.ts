import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { compileForChild, repoRoot } from './compile-for-child.js';
import { freePort } from './free-port.js';
import { waitFor } from './wait-for.js';

/** What the compiled service depends on: a change to any of these compiles it again. */
const SOURCES = ['src', 'migrations'];
const CONFIG_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package.json'];
/** Compiled copies nobody has used for this long are removed when a new one is made. */
const STALE_MS = 6 * 60 * 60_000;

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  const files = [
    ...CONFIG_FILES.map((file) => join(repoRoot, file)),
    ...(await Promise.all(SOURCES.map((dir) => sourceFiles(join(repoRoot, dir))))).flat(),
  ];
  for (const file of files) {
    hash.update(relative(repoRoot, file)).update('\0');
    hash.update(await readFile(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * `src/main.ts` compiled for child processes (compileForChild), shared by every test file of a run: compiling the
 * service costs 10–20 s on a loaded 2-core machine, so the output is kept in the temporary folder under a hash of
 * the sources and reused while they are unchanged. Returns the path of `main.js`.
 */
export async function compiledServiceMain(): Promise<string> {
  const key = await sourceHash();
  const cacheDir = join(tmpdir(), `orderly-service-${key}`);
  const main = join(cacheDir, 'compiled', 'src', 'main.js');
  if (await exists(main)) {
    const now = new Date();
    await utimes(cacheDir, now, now).catch(() => undefined);
    return main;
  }
  const { workDir } = await compileForChild(['src/main.ts']);
  try {
    await rename(workDir, cacheDir);
  } catch {
    // Another run finished the same compilation first: use its copy.
    await rm(workDir, { recursive: true, force: true });
  }
  await removeStaleCopies(cacheDir);
  return main;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function removeStaleCopies(keep: string): Promise<void> {
  const root = tmpdir();
  for (const name of await readdir(root)) {
    const path = join(root, name);
    if (!name.startsWith('orderly-service-') || path === keep) continue;
    const info = await stat(path).catch(() => undefined);
    if (info !== undefined && Date.now() - info.mtimeMs > STALE_MS) await rm(path, { recursive: true, force: true });
  }
}

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly port: number;
  readonly base: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** The log lines (JSON) written so far, parsed; other lines are skipped. */
  logLines(): Record<string, unknown>[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the compiled service (`node main.js`) with `env` on a free port and resolves once `/health/ready` answers
 * 200. The environment is exactly `env` plus PATH, HOST and PORT: nothing of the developer's leaks in.
 */
export async function startServiceProcess(
  main: string,
  env: Record<string, string>,
  readyTimeoutMs = 30_000,
): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [main], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        if (exitedEarly) throw new Error(`the service exited during start-up:\n${output}`);
        try {
          return (await fetch(`${base}/health/ready`)).status;
        } catch {
          return 0;
        }
      },
      (status) => status === 200,
      readyTimeoutMs,
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    child,
    port,
    base,
    output: () => output,
    logLines: () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
    exited,
  };
}
