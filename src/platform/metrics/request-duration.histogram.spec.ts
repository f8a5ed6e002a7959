import { Registry, type Metric } from 'prom-client';
import { RequestDurationHistogram } from './request-duration.histogram.js';

describe('RequestDurationHistogram', () => {
  it('puts each duration in the first bucket whose bound holds it (bounds inclusive), +Inf past the last', async () => {
    const histogram = new RequestDurationHistogram([0.1, 0.3, 1]);
    for (const seconds of [0.05, 0.1, 0.2, 0.3, 0.31, 1, 7]) histogram.observe('GET', '/things/:id', 200, seconds);

    const { values } = await histogram.get();
    const buckets = values.filter((v) => v.metricName === 'http_request_duration_seconds_bucket');
    expect(buckets.map((b) => [b.labels.le, b.value])).toEqual([
      [0.1, 2],
      [0.3, 4],
      [1, 6],
      ['+Inf', 7],
    ]);
    const sum = values.find((v) => v.metricName === 'http_request_duration_seconds_sum');
    expect(sum?.value).toBeCloseTo(0.05 + 0.1 + 0.2 + 0.3 + 0.31 + 1 + 7);
    expect(values.find((v) => v.metricName === 'http_request_duration_seconds_count')?.value).toBe(7);
  });

  it('keeps one series per (method, route, status), labelled with the status as a string', async () => {
    const histogram = new RequestDurationHistogram([1]);
    const route = histogram.forRoute('GET', '/things/:id');
    route.observe(200, 0.01);
    route.observe(404, 0.01);
    route.observe(200, 0.02);
    histogram.observe('PATCH', '/things/:id', 200, 0.03);

    const { values } = await histogram.get();
    const counts = values
      .filter((v) => v.metricName === 'http_request_duration_seconds_count')
      .map((v) => [v.labels.method, v.labels.route, v.labels.status, v.value]);
    expect(counts).toEqual([
      ['GET', '/things/:id', '200', 2],
      ['GET', '/things/:id', '404', 1],
      ['PATCH', '/things/:id', '200', 1],
    ]);
  });

  it('forgets its observations on reset, and the per-route handles it gave out keep counting', async () => {
    const histogram = new RequestDurationHistogram([1]);
    const route = histogram.forRoute('GET', '/a');
    route.observe(200, 0.5);
    histogram.reset();
    expect((await histogram.get()).values).toEqual([]);
    route.observe(200, 0.5);
    expect((await histogram.get()).values).toHaveLength(4);
  });

  it('is exposed by a prom-client Registry in the text format', async () => {
    const registry = new Registry();
    const histogram = new RequestDurationHistogram([0.5]);
    registry.registerMetric(histogram as unknown as Metric);
    histogram.observe('GET', '/a/:id', 200, 0.25);

    expect(await registry.metrics()).toBe(
      [
        `# HELP http_request_duration_seconds ${histogram.help}`,
        '# TYPE http_request_duration_seconds histogram',
        'http_request_duration_seconds_bucket{method="GET",route="/a/:id",status="200",le="0.5"} 1',
        'http_request_duration_seconds_bucket{method="GET",route="/a/:id",status="200",le="+Inf"} 1',
        'http_request_duration_seconds_sum{method="GET",route="/a/:id",status="200"} 0.25',
        'http_request_duration_seconds_count{method="GET",route="/a/:id",status="200"} 1',
        '',
      ].join('\n'),
    );
  });
});
