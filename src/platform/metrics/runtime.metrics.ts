import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics } from 'prom-client';
import { MetricsRegistry } from './metrics-registry.js';

/**
 * Gauges prom-client names with a `_total` suffix, which Prometheus reserves for counters (`promtool check metrics`
 * rejects them). Each is the sum of the per-type gauge of the same name without the suffix, which stays:
 * `sum(nodejs_active_handles)` is the same figure.
 */
const MISNAMED_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/**
 * prom-client's default metrics (SPEC §4a): process CPU, memory and file descriptors, heap and heap spaces, GC
 * durations, event-loop lag, active handles, Node's version — registered on the application's registry, not
 * prom-client's global one. Most are read at scrape time; event-loop lag and GC are sampled by Node itself
 * (perf_hooks), which costs nothing per request.
 */
@Injectable()
export class RuntimeMetrics {
  constructor(metrics: MetricsRegistry) {
    collectDefaultMetrics({ register: metrics.registry });
    for (const name of MISNAMED_DEFAULTS) metrics.registry.removeSingleMetric(name);
  }
}
