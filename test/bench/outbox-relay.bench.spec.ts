import { v7 as uuidv7 } from 'uuid';
import type { DataSource } from 'typeorm';
import { createRelay, EventSource, writeEvents, type Relay } from '../support/outbox-harness.js';
import { createPersistenceHarness, type PersistenceHarness } from '../support/persistence-harness.js';
import { createTestDataSource } from '../support/test-data-source.js';
import { describeProfile } from '../support/test-profile.js';
import { waitFor } from '../support/wait-for.js';

/**
 * `npm run bench:outbox` (server profile by default; TEST_PROFILE=embedded for sql.js): what the events platform
 * costs, measured with the real unit of work, relay and database — no assertions on speed, only a printed table.
 *
 * 1. Delivery latency after commit: events written one per transaction; time from the commit returning to the
 *    handler running (the immediate path; the poller is set to a minute so it cannot help).
 * 2. Relay throughput: a backlog drained by one relay, then another backlog by two relays on separate pools
 *    (two instances), each event handled in its own transaction with its inbox row.
 */
const LATENCY_EVENTS = Number(process.env.BENCH_LATENCY_EVENTS ?? 1_000);
const WRITERS = Number(process.env.BENCH_WRITERS ?? 8);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 5_000);

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

describe(describeProfile('events platform measurements'), () => {
  const dataSources: DataSource[] = [];
  const relays: Relay[] = [];
  const results: string[] = [];

  async function instance(settings: Parameters<typeof createPersistenceHarness>[1] = {}): Promise<PersistenceHarness> {
    const dataSource = await createTestDataSource();
    dataSources.push(dataSource);
    return createPersistenceHarness(dataSource, settings);
  }

  afterAll(async () => {
    for (const relay of relays) await relay.stop();
    for (const dataSource of dataSources) await dataSource.destroy();
    console.log(['', `events platform (${describeProfile('')})`, ...results].join('\n'));
  });

  it('delivery latency after commit', async () => {
    const harness = await instance({ pollIntervalMs: 60_000 });
    const relay = createRelay(harness);
    relays.push(relay);
    const type = `bench.latency_${uuidv7().replaceAll('-', '')}`;
    const committedAt = new Map<number, number>();
    const latencies: number[] = [];
    relay.subscribe('LatencyProbe', type, async (event) => {
      const n = event.payload.n as number;
      latencies.push(performance.now() - (committedAt.get(n) ?? Number.NaN));
    });
    relay.start();
    await relay.relay.pollNow();

    let next = 0;
    const writer = async () => {
      for (let n = next++; n < LATENCY_EVENTS; n = next++) {
        await writeEvents(harness, [new EventSource(uuidv7()).emit(type, n)]);
        committedAt.set(n, performance.now());
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: WRITERS }, writer));
    await waitFor(
      () => latencies.length,
      (count) => count === LATENCY_EVENTS,
      120_000,
    );
    const seconds = (performance.now() - started) / 1000;
    // A handler can run a hair before the writer's `await` resumes: those read as ≤ 0 ms.
    const sorted = latencies.map((ms) => Math.max(0, ms)).sort((a, b) => a - b);
    results.push(
      `latency commit → handler, ${LATENCY_EVENTS} events from ${WRITERS} writers (${Math.round(LATENCY_EVENTS / seconds)} commits/s): ` +
        `p50 ${quantile(sorted, 0.5).toFixed(2)} ms, p99 ${quantile(sorted, 0.99).toFixed(2)} ms, max ${quantile(sorted, 1).toFixed(2)} ms`,
    );
  });

  for (const relayCount of [1, 2]) {
    it(`relay throughput with ${relayCount} relay(s)`, async () => {
      const writerHarness = await instance();
      const type = `bench.throughput_${uuidv7().replaceAll('-', '')}`;
      for (let batch = 0; batch < BACKLOG / 100; batch++) {
        await writeEvents(
          writerHarness,
          Array.from({ length: 100 }, (_, n) => new EventSource(uuidv7()).emit(type, batch * 100 + n)),
        );
      }
      let handled = 0;
      const started = performance.now();
      for (let index = 0; index < relayCount; index++) {
        const relay = createRelay(await instance({ pollIntervalMs: 50 }));
        relays.push(relay);
        relay.subscribe('ThroughputProbe', type, async () => {
          handled += 1;
        });
        relay.start();
      }
      await waitFor(
        () => handled,
        (count) => count === BACKLOG,
        300_000,
      );
      const seconds = (performance.now() - started) / 1000;
      results.push(
        `throughput, ${relayCount} relay(s): ${BACKLOG} events in ${seconds.toFixed(2)} s = ${Math.round(BACKLOG / seconds)} events/s`,
      );
      for (const relay of relays.splice(0)) await relay.stop();
    });
  }
});
