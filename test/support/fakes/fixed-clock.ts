import { Clock } from '../../../src/shared/application/clock.js';

/** A clock that only moves when a test moves it. Returns copies, so callers cannot shift it by mutating a Date. */
export class FixedClock extends Clock {
  private current: Date;

  constructor(start: Date | string = '2025-01-01T00:00:00.000Z') {
    super();
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current.getTime());
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }

  set(at: Date | string): void {
    this.current = new Date(at);
  }
}
