import { Global, Module } from '@nestjs/common';
import { CircuitBreakerMetrics } from './circuit-breaker.metrics.js';
import { DatabaseMetrics } from './database.metrics.js';
import { HttpMetrics } from './http.metrics.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsRegistry } from './metrics-registry.js';
import { OutboxMetrics } from './outbox.metrics.js';
import { RuntimeMetrics } from './runtime.metrics.js';

/**
 * Prometheus metrics (SPEC §4 Observability, §4a): the registry every context declares its metrics in, `GET
 * /metrics`, and the platform's own metrics — HTTP durations (fed by configureHttp's hooks), database pool and slow
 * queries, outbox, circuit breakers, Node's runtime. Everything that is a figure of state is read at scrape time.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsRegistry, HttpMetrics, RuntimeMetrics, DatabaseMetrics, OutboxMetrics, CircuitBreakerMetrics],
  exports: [MetricsRegistry, HttpMetrics, CircuitBreakerMetrics],
})
export class MetricsModule {}
