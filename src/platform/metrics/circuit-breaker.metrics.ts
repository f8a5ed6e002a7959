import { Injectable } from '@nestjs/common';
import type { Gauge } from 'prom-client';
import { MetricsRegistry } from './metrics-registry.js';

/** `circuit_breaker_state` values: the usual encoding, ordered by severity, so `max()` over breakers means something. */
export const BREAKER_STATE = Object.freeze({ closed: 0, halfOpen: 1, open: 2 });
export type BreakerState = keyof typeof BREAKER_STATE;

/**
 * `circuit_breaker_state{breaker}` (SPEC §4a): 0 closed (calls go through), 1 half-open (one trial call is let
 * through), 2 open (calls fail fast to the fallback). Declared with the registry so dashboards and alerts find the
 * metric even before a breaker exists; each breaker reports its state through `report` when it changes.
 */
@Injectable()
export class CircuitBreakerMetrics {
  private readonly gauge: Gauge<'breaker'>;

  constructor(metrics: MetricsRegistry) {
    this.gauge = metrics.gauge({
      name: 'circuit_breaker_state',
      help: 'Circuit breaker state by breaker: 0 closed, 1 half-open, 2 open (failing fast to its fallback).',
      labelNames: ['breaker'],
    });
  }

  report(breaker: string, state: BreakerState): void {
    this.gauge.set({ breaker }, BREAKER_STATE[state]);
  }
}
