import { Injectable } from '@nestjs/common';
import {
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';

/**
 * The application's Prometheus registry. One per Nest application (never prom-client's global one), so several
 * applications in one process — the e2e tests start many — never collide on a metric name.
 *
 * Platform code and contexts declare their metrics through it; declaring the same name twice returns the metric
 * declared first, so two providers may share a metric without knowing about each other.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  counter<L extends string>(config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
    return this.existing<Counter<L>>(config.name) ?? new Counter({ ...config, registers: [this.registry] });
  }

  gauge<L extends string>(config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
    return this.existing<Gauge<L>>(config.name) ?? new Gauge({ ...config, registers: [this.registry] });
  }

  histogram<L extends string>(config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
    return this.existing<Histogram<L>>(config.name) ?? new Histogram({ ...config, registers: [this.registry] });
  }

  /** The content type of `exposition()`: Prometheus' text format, version 0.0.4. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric in the text format; metrics that read their value at scrape time (`collect`) do so now. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  private existing<M>(name: string): M | undefined {
    return this.registry.getSingleMetric(name) as M | undefined;
  }
}
