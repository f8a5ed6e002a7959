import { Injectable } from '@nestjs/common';
import type { Metric } from 'prom-client';
import { MetricsRegistry } from './metrics-registry.js';
import { RequestDurationHistogram } from './request-duration.histogram.js';

/**
 * The application's `http_request_duration_seconds`, registered with its MetricsRegistry. configureHttp hands it to
 * `installHttpMetrics` (http-metrics.hook.ts), which feeds it from Fastify's hooks.
 */
@Injectable()
export class HttpMetrics {
  readonly requestDuration = new RequestDurationHistogram();

  constructor(metrics: MetricsRegistry) {
    // Not one of prom-client's classes, but it has everything the Registry reads (see the histogram's comment).
    metrics.registry.registerMetric(this.requestDuration as unknown as Metric);
  }
}
