import { ReadinessState } from './readiness-state.js';
import { ShutdownReadiness } from './shutdown-readiness.js';

describe('ShutdownReadiness', () => {
  it('marks the instance as shutting down before the server closes', () => {
    const readiness = new ReadinessState();
    expect(readiness.isShuttingDown).toBe(false);
    new ShutdownReadiness(readiness).beforeApplicationShutdown();
    expect(readiness.isShuttingDown).toBe(true);
  });
});
