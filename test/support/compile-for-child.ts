import { execFile } from 'node:child_process';
import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const repoRoot = resolve(import.meta.dirname, '..', '..');

/**
 * Compiles `files` (and everything they import) to plain JS in a fresh temporary folder, for tests that must run
 * the real code in a child process (crash and start-up tests). The output sits next to a `node_modules` link to
 * the project's, so its imports resolve to the very same packages; the layout mirrors the repository
 * (`<outDir>/src/main.js`). Type checking is `npm run typecheck`'s job: this only emits, fast.
 */
export async function compileForChild(files: readonly string[]): Promise<{ workDir: string; outDir: string }> {
  const workDir = await mkdtemp(join(tmpdir(), 'orderly-child-'));
  const outDir = join(workDir, 'compiled');
  await symlink(join(repoRoot, 'node_modules'), join(workDir, 'node_modules'), 'dir');
  await writeFile(join(workDir, 'package.json'), JSON.stringify({ type: 'module' }));
  const tsconfig = join(workDir, 'tsconfig.json');
  await writeFile(
    tsconfig,
    JSON.stringify({
      extends: join(repoRoot, 'tsconfig.build.json'),
      compilerOptions: { rootDir: repoRoot, outDir, noCheck: true, sourceMap: false, types: [] },
      files: files.map((file) => join(repoRoot, file)),
      include: [],
    }),
  );
  const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', tsconfig], { cwd: repoRoot });
  return { workDir, outDir };
}
