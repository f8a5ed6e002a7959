import { Injectable } from '@nestjs/common';

/**
 * Start-up tasks that must finish before the instance takes traffic (migrations, admin bootstrap), and the
 * shutdown flag. `/health/ready` reads it; anything may register a task, so a new context adds its own.
 */
@Injectable()
export class ReadinessState {
  private readonly pending = new Set<string>();
  private shuttingDown = false;

  begin(task: string): void {
    this.pending.add(task);
  }

  complete(task: string): void {
    this.pending.delete(task);
  }

  /** Runs a start-up task: the instance is not ready until `work` has settled, whether it succeeded or not. */
  async during<T>(task: string, work: () => Promise<T>): Promise<T> {
    this.begin(task);
    try {
      return await work();
    } finally {
      this.complete(task);
    }
  }

  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  get pendingTasks(): readonly string[] {
    return [...this.pending];
  }
}
