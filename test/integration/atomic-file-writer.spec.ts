import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import initSqlJs from 'sql.js';
import { AtomicFileWriter } from '../../src/platform/persistence/atomic-file-writer.js';
import { compileForChild, repoRoot } from '../support/compile-for-child.js';
import { describeProfile, testProfile } from '../support/test-profile.js';

const childScript = join(repoRoot, 'test/support/embedded-writer-child.mjs');

/** Compiles the embedded profile's data-source options (the atomic writer, the migrations) for the child. */
async function compilePersistence(): Promise<string> {
  return (await compileForChild(['src/platform/persistence/data-source-options.ts'])).outDir;
}

/**
 * Starts the writer child on `file`, lets it acknowledge at least `minAcks` commits, SIGKILLs it after a random
 * extra delay and returns every id it acknowledged before it died.
 */
async function runUntilKilled(compiledRoot: string, file: string, minAcks: number): Promise<number[]> {
  const child = spawn(process.execPath, [childScript, compiledRoot, file], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acked: number[] = [];
  let stderr = '';
  let pending = '';
  let killScheduled = false;
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (/^\d+$/.test(line)) acked.push(Number(line));
    if (!killScheduled && acked.length >= minAcks) {
      killScheduled = true;
      setTimeout(() => child.kill('SIGKILL'), Math.random() * 40);
    }
  });
  const giveUp = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, sig) => resolve(sig)));
  clearTimeout(giveUp);
  if (!killScheduled || signal !== 'SIGKILL') {
    throw new Error(`writer child ended on its own (signal ${signal}, ${acked.length} acks): ${stderr}`);
  }
  return acked;
}

/** Opens the database file with sql.js itself, checks it is intact and returns the ids it holds. */
async function storedIds(file: string): Promise<Set<number>> {
  const SQL = await initSqlJs();
  const database = new SQL.Database(await readFile(file));
  try {
    const [integrity] = database.exec('PRAGMA integrity_check');
    expect(integrity.values).toEqual([['ok']]);
    const [ids] = database.exec('SELECT id FROM crash_probe ORDER BY id');
    return new Set(ids.values.map(([id]) => Number(id)));
  } finally {
    database.close();
  }
}

// The embedded profile's concern (SPEC §2); it does not depend on the database under test, so it runs once.
describe.skipIf(testProfile().kind !== 'embedded')(describeProfile('AtomicFileWriter'), () => {
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'orderly-atomic-'));
  });

  afterAll(async () => {
    if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
  });

  it('replaces the content, creates the folder and leaves no temporary file behind', async () => {
    const folder = join(workDir, 'unit', 'nested');
    const target = join(folder, 'data.bin');
    const writer = new AtomicFileWriter(target);

    await writer.write(new TextEncoder().encode('first'));
    expect(await readFile(target, 'utf8')).toBe('first');
    await writer.write(new TextEncoder().encode('second, longer than the first'));
    await writer.write(new TextEncoder().encode('3rd'));

    expect(await readFile(target, 'utf8')).toBe('3rd');
    expect(await readdir(folder)).toEqual(['data.bin']);
  });

  it('keeps queued writes in order and never shows a reader a partial file', async () => {
    const folder = join(workDir, 'readers');
    const target = join(folder, 'data.bin');
    const writer = new AtomicFileWriter(target);
    const size = 2 * 1024 * 1024;
    await writer.write(new Uint8Array(size).fill(0));

    // Queued without waiting: each later write must land after the earlier ones, whatever their timing.
    const writes = Array.from({ length: 8 }, (_, index) => writer.write(new Uint8Array(size).fill(index + 1)));
    const done = Promise.all(writes);
    let finished = false;
    void done.finally(() => (finished = true));
    const seen: string[] = [];
    while (!finished) {
      const bytes = await readFile(target);
      const whole = bytes.length === size && bytes[0] === bytes[size >> 1] && bytes[0] === bytes[size - 1];
      seen.push(whole ? `v${bytes[0]}` : `torn(${bytes.length} bytes)`);
    }
    await done;

    expect(seen.filter((entry) => entry.startsWith('torn'))).toEqual([]);
    expect((await readFile(target))[0]).toBe(8);
    expect(await readdir(folder)).toEqual(['data.bin']);
  });

  it('never loses an acknowledged commit or corrupts the database when the process is SIGKILLed', async () => {
    const compiledRoot = await compilePersistence();
    const file = join(workDir, 'crash', 'orderly.sqlite');
    const acknowledged = new Set<number>();

    // Six kills: against a plain (truncate-then-write) save this catches a torn or lost file in ~9 runs of 10;
    // the reader test above catches a non-atomic replace deterministically.
    for (let round = 1; round <= 6; round++) {
      const acked = await runUntilKilled(compiledRoot, file, 20 + Math.floor(Math.random() * 20));
      acked.forEach((id) => acknowledged.add(id));

      const stored = await storedIds(file);
      const lost = [...acknowledged].filter((id) => !stored.has(id));
      expect(lost, `round ${round}: acknowledged ids missing from the file`).toEqual([]);
    }
    expect(acknowledged.size).toBeGreaterThanOrEqual(120);
  }, 60_000);
});
