import type { OutboxMonitor, OutboxSnapshot } from '../messaging/outbox-monitor.js';
import { MetricsRegistry } from './metrics-registry.js';
import { OutboxMetrics } from './outbox.metrics.js';

function snapshot(backlog: number, age: number, deadLetters: number): OutboxSnapshot {
  return {
    backlog,
    oldestUndeliveredAgeSeconds: age,
    unpublished: 0,
    openDeadLetters: deadLetters,
    deliveredTotal: 0,
    deadLetteredTotal: 0,
    publishedTotal: 0,
    deliveryLatency: { count: 0, p50: 0, p99: 0 },
  };
}

async function gauges(metrics: MetricsRegistry): Promise<number[]> {
  const text = await metrics.exposition();
  return ['outbox_backlog', 'outbox_oldest_age_seconds', 'outbox_dead_letters'].map((name) =>
    Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]),
  );
}

describe('OutboxMetrics', () => {
  let metrics: MetricsRegistry;
  let next: () => Promise<OutboxSnapshot>;
  let queries: number;

  beforeEach(() => {
    metrics = new MetricsRegistry();
    queries = 0;
    const monitor = {
      snapshot: () => {
        queries += 1;
        return next();
      },
    } as unknown as OutboxMonitor;
    new OutboxMetrics(metrics, monitor);
  });
  afterEach(() => vi.useRealTimers());

  it('reads the three gauges from one snapshot per scrape, and reuses it for 2 s', async () => {
    next = () => Promise.resolve(snapshot(3, 12.5, 1));
    expect(await gauges(metrics)).toEqual([3, 12.5, 1]);
    expect(await gauges(metrics)).toEqual([3, 12.5, 1]);
    expect(queries).toBe(1);
  });

  it('keeps the last figures while the database fails, rather than failing the scrape or reporting 0', async () => {
    vi.useFakeTimers();
    next = () => Promise.resolve(snapshot(3, 12.5, 1));
    await gauges(metrics);
    vi.advanceTimersByTime(5_000);
    next = () => Promise.reject(new Error('connection lost'));
    expect(await gauges(metrics)).toEqual([3, 12.5, 1]);
  });

  it('answers within 1 s with the last figures when the queries are slow, and uses theirs once they arrive', async () => {
    vi.useFakeTimers();
    next = () => Promise.resolve(snapshot(3, 12.5, 1));
    await gauges(metrics);
    vi.advanceTimersByTime(5_000);
    let finish!: (value: OutboxSnapshot) => void;
    next = () => new Promise((resolve) => (finish = resolve));
    const scrape = gauges(metrics);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await scrape).toEqual([3, 12.5, 1]);
    finish(snapshot(0, 0, 0));
    await vi.advanceTimersByTimeAsync(0);
    expect(await gauges(metrics)).toEqual([0, 0, 0]);
  });

  it('shows prom-client’s initial 0 until a first snapshot has been read', async () => {
    next = () => Promise.reject(new Error('not migrated yet'));
    expect(await gauges(metrics)).toEqual([0, 0, 0]);
  });
});
