import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces a file so that a crash at any instant leaves either the old or the new content, never a torn file:
 * write a temporary sibling, fsync it, rename it over the target (atomic on POSIX), then fsync the folder so the
 * rename itself survives a power loss. Writes are queued, so a slow write is never overtaken by a later one.
 */
export class AtomicFileWriter {
  private queue: Promise<void> = Promise.resolve();
  private sequence = 0;

  constructor(private readonly target: string) {
    mkdirSync(dirname(target), { recursive: true });
    this.removeLeftovers();
  }

  /** A crash between writing and renaming leaves a temporary file behind; it is garbage, never a database. */
  private removeLeftovers(): void {
    const prefix = `.${basename(this.target)}.`;
    for (const name of readdirSync(dirname(this.target))) {
      if (name.startsWith(prefix) && name.endsWith('.tmp')) rmSync(join(dirname(this.target), name), { force: true });
    }
  }

  write(bytes: Uint8Array): Promise<void> {
    const next = this.queue.then(() => this.replace(bytes));
    // The queue must keep going after a failure; the caller still sees the error through `next`.
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async replace(bytes: Uint8Array): Promise<void> {
    const temporary = join(dirname(this.target), `.${basename(this.target)}.${process.pid}.${this.sequence++}.tmp`);
    const file = await open(temporary, 'w', 0o600);
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, this.target);
    const folder = await open(dirname(this.target), 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  }
}
