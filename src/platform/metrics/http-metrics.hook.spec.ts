import Fastify, { type FastifyInstance } from 'fastify';
import { installHttpMetrics } from './http-metrics.hook.js';
import { RequestDurationHistogram } from './request-duration.histogram.js';

async function counts(histogram: RequestDurationHistogram): Promise<string[]> {
  const { values } = await histogram.get();
  return values
    .filter((v) => v.metricName === 'http_request_duration_seconds_count')
    .map((v) => `${v.labels.method} ${v.labels.route} ${v.labels.status} ×${v.value}`)
    .sort();
}

describe('installHttpMetrics (Fastify hooks feeding http_request_duration_seconds)', () => {
  let fastify: FastifyInstance;
  let histogram: RequestDurationHistogram;

  beforeEach(async () => {
    fastify = Fastify();
    histogram = new RequestDurationHistogram();
    installHttpMetrics(fastify, histogram);
    fastify.get('/things/:id', async (request, reply) => {
      const { id } = request.params as { id: string };
      if (id === 'missing') return reply.status(404).send({ missing: true });
      return { id };
    });
    fastify.route({ method: ['PUT', 'DELETE'], url: '/both/:id', handler: async () => ({ ok: true }) });
    await fastify.register(
      async (child) => {
        child.get('/inner', async () => 'inner');
      },
      { prefix: '/plugin' },
    );
    await fastify.ready();
  });
  afterEach(() => fastify.close());

  it('labels a request with its route template, method and status, once per request', async () => {
    await fastify.inject({ method: 'GET', url: '/things/1' });
    await fastify.inject({ method: 'GET', url: '/things/2?x=1' });
    await fastify.inject({ method: 'GET', url: '/things/missing' });
    // Fastify's automatic HEAD route is a copy of the GET one: it gets a hook of its own, not the GET's as well.
    await fastify.inject({ method: 'HEAD', url: '/things/3' });
    await fastify.inject({ method: 'DELETE', url: '/both/9' });
    await fastify.inject({ method: 'GET', url: '/plugin/inner' });

    expect(await counts(histogram)).toEqual([
      'DELETE /both/:id 200 ×1',
      'GET /plugin/inner 200 ×1',
      'GET /things/:id 200 ×2',
      'GET /things/:id 404 ×1',
      'HEAD /things/:id 200 ×1',
    ]);
  });

  it('counts requests no route matched under `unmatched`, never under their URL', async () => {
    await fastify.inject({ method: 'GET', url: '/nothing/here/12345' });
    await fastify.inject({ method: 'POST', url: '/things/1' });

    expect(await counts(histogram)).toEqual(['GET unmatched 404 ×1', 'POST unmatched 404 ×1']);
  });

  it('records the time Fastify measured, in seconds', async () => {
    fastify = Fastify();
    histogram = new RequestDurationHistogram([0.01, 10]);
    installHttpMetrics(fastify, histogram);
    fastify.get('/slow', async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return 'done';
    });
    await fastify.inject({ method: 'GET', url: '/slow' });

    const { values } = await histogram.get();
    const sum = values.find((v) => v.metricName === 'http_request_duration_seconds_sum')!.value;
    expect(sum).toBeGreaterThanOrEqual(0.025);
    expect(sum).toBeLessThan(10);
    expect(values.find((v) => v.labels.le === 0.01)?.value).toBe(0);
  });
});
