import { IdGenerator } from '../../../src/shared/application/id-generator.js';

/** UUID-shaped, predictable ids: …-000000000001, …-000000000002, …. */
export class SequentialIdGenerator extends IdGenerator {
  private counter = 0;

  next(): string {
    this.counter += 1;
    return `00000000-0000-7000-8000-${this.counter.toString(16).padStart(12, '0')}`;
  }

  /** The id the n-th call returned (1-based), without consuming one. */
  static nth(n: number): string {
    return `00000000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
  }
}
