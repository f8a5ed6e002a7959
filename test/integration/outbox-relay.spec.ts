import { v7 as uuidv7 } from 'uuid';
import type { DataSource } from 'typeorm';
import { DeadLetterOrmEntity } from '../../src/platform/persistence/outbox/dead-letter.orm-entity.js';
import { InboxOrmEntity } from '../../src/platform/persistence/outbox/inbox.orm-entity.js';
import { OutboxEventOrmEntity } from '../../src/platform/persistence/outbox/outbox-event.orm-entity.js';
import type { IntegrationEvent } from '../../src/shared/application/integration-event.js';
import { createRelay, EventSource, writeEvents, type Relay } from '../support/outbox-harness.js';
import { createPersistenceHarness, type PersistenceHarness } from '../support/persistence-harness.js';
import { createTestDataSource } from '../support/test-data-source.js';
import { describeProfile, testProfile } from '../support/test-profile.js';
import { waitFor } from '../support/wait-for.js';

const FAST = { retryBaseMs: 20, pollIntervalMs: 50, maxAttempts: 3 };

describe(describeProfile('outbox relay: delivery, inbox, retries, dead letters'), () => {
  let dataSource: DataSource;
  let harness: PersistenceHarness;
  let relay: Relay;
  let type: string;

  beforeAll(async () => {
    dataSource = await createTestDataSource();
  });
  afterAll(async () => {
    await dataSource?.destroy();
  });
  beforeEach(() => {
    harness = createPersistenceHarness(dataSource, FAST);
    relay = createRelay(harness);
    type = `test.event_${uuidv7().replaceAll('-', '')}`;
  });
  afterEach(async () => {
    await relay.stop();
  });

  const rowsOf = (eventType: string) =>
    dataSource.getRepository(OutboxEventOrmEntity).find({ where: { type: eventType }, order: { seq: 'ASC' } });

  it('delivers right after commit, without waiting for a poll, with the stored envelope', async () => {
    harness = createPersistenceHarness(dataSource, { ...FAST, pollIntervalMs: 60_000 });
    relay = createRelay(harness);
    const seen: IntegrationEvent[] = [];
    relay.subscribe('Recorder', type, async (event) => void seen.push(event));
    relay.start();
    await relay.relay.pollNow();
    const source = new EventSource(uuidv7()).emit(type, 7);

    const started = Date.now();
    await writeEvents(harness, [source]);
    await waitFor(
      () => seen.length,
      (count) => count === 1,
      2_000,
    );

    expect(Date.now() - started).toBeLessThan(1_000);
    const [row] = await rowsOf(type);
    expect(seen[0]).toEqual({
      id: row?.id,
      type,
      version: 1,
      occurredAt: row?.occurredAt.toISOString(),
      aggregateId: source.id,
      payload: { n: 7 },
    });
    await waitFor(() => harness.outbox.isDelivered(row?.id ?? ''), Boolean);
    expect(await dataSource.getRepository(InboxOrmEntity).countBy({ eventId: row?.id, handler: 'Recorder' })).toBe(1);
  });

  it('repairs a crash between commit and dispatch: rows nobody delivered are found by the poller', async () => {
    // Written while no relay listened: the process that committed them "died" before delivering.
    const sources = Array.from({ length: 5 }, (_, n) => new EventSource(uuidv7()).emit(type, n));
    await writeEvents(harness, sources);
    const seen: number[] = [];
    relay.subscribe('Recorder', type, async (event) => void seen.push(event.payload.n as number));

    relay.start();
    await waitFor(
      () => seen.length,
      (count) => count === 5,
    );

    expect(seen.sort()).toEqual([0, 1, 2, 3, 4]);
    // The handler has run; the delivery mark commits with it a moment later.
    const rows = await waitFor(
      () => rowsOf(type),
      (all) => all.every((row) => row.deliveredAt !== null),
    );
    expect(rows.every((row) => row.deliveredAt !== null)).toBe(true);
  });

  it('delivers the events of one aggregate in order, holding later ones back while an earlier one is retried', async () => {
    const source = new EventSource(uuidv7());
    for (let n = 0; n < 5; n++) source.emit(type, n);
    await writeEvents(harness, [source]);
    const seen: number[] = [];
    let failuresLeft = 2;
    relay.subscribe('Flaky', type, async (event) => {
      const n = event.payload.n as number;
      if (n === 1 && failuresLeft-- > 0) throw new Error('temporarily broken');
      seen.push(n);
    });

    relay.start();
    await waitFor(
      () => seen.length,
      (count) => count === 5,
    );

    expect(seen).toEqual([0, 1, 2, 3, 4]);
    const rows = await rowsOf(type);
    expect(rows.map((row) => row.attempts)).toEqual([0, 2, 0, 0, 0]);
  });

  it('never lets the blocked events of one failing aggregate crowd out other aggregates', async () => {
    harness = createPersistenceHarness(dataSource, { ...FAST, retryBaseMs: 60_000, maxAttempts: 8 });
    relay = createRelay(harness);
    const stuck = new EventSource(uuidv7());
    // More followers than a claim batch holds (50), all waiting behind the failing first event.
    for (let n = 0; n < 60; n++) stuck.emit(type, n);
    const other = new EventSource(uuidv7()).emit(type, 1_000);
    await writeEvents(harness, [stuck]);
    await writeEvents(harness, [other]);
    const handled: number[] = [];
    relay.subscribe('FailsForOneAggregate', type, async (event) => {
      if (event.aggregateId === stuck.id) throw new Error('this aggregate is broken');
      handled.push(event.payload.n as number);
    });

    relay.start();
    await waitFor(
      () => handled,
      (values) => values.includes(1_000),
    );

    // The stuck head was claimed in the same batch; its failure is recorded when its (concurrent) delivery ends,
    // which may be just after the other aggregate's event was handled.
    const rows = await waitFor(
      () => rowsOf(type),
      (all) => all.find((row) => row.aggregateId === stuck.id)?.attempts === 1,
    );
    expect(rows.filter((row) => row.aggregateId === stuck.id && row.deliveredAt !== null)).toHaveLength(0);
  });

  it('retries a failing handler with backoff, dead-letters it after OUTBOX_MAX_ATTEMPTS, and a replay delivers it', async () => {
    let broken = true;
    const attemptsAt: number[] = [];
    const handled: string[] = [];
    relay.subscribe('Broken', type, async (event) => {
      attemptsAt.push(Date.now());
      if (broken) throw new Error('downstream refused');
      handled.push(event.id);
    });
    const others: string[] = [];
    relay.subscribe('Healthy', type, async (event) => void others.push(event.id));
    relay.start();

    await writeEvents(harness, [new EventSource(uuidv7()).emit(type, 1)]);
    const [letter] = await waitFor(
      () => dataSource.getRepository(DeadLetterOrmEntity).findBy({ eventType: type }),
      (letters) => letters.length === 1,
    );

    expect(letter).toMatchObject({ handler: 'Broken', attempts: 3, replayedAt: null });
    expect(letter?.lastError).toContain('downstream refused');
    expect(attemptsAt).toHaveLength(3);
    // Backoff: base 20 ms, doubled, with jitter in [0.5, 1.5): gaps of at least 10 ms and then 20 ms.
    expect((attemptsAt[1] ?? 0) - (attemptsAt[0] ?? 0)).toBeGreaterThanOrEqual(10);
    expect((attemptsAt[2] ?? 0) - (attemptsAt[1] ?? 0)).toBeGreaterThanOrEqual(20);
    // The healthy handler ran once, although the event was delivered three times (the inbox skipped it).
    expect(others).toHaveLength(1);
    const [row] = await rowsOf(type);
    expect(row?.deliveredAt).not.toBeNull();
    expect((await relay.monitor.snapshot()).deadLetteredTotal).toBe(1);

    broken = false;
    const replayed = await harness.outbox.replayDeadLetter(letter?.id ?? '', new Date());
    harness.signal.committed([replayed?.eventId ?? '']);
    await waitFor(
      () => handled.length,
      (count) => count === 1,
    );

    expect(handled).toEqual([row?.id]);
    expect(others).toHaveLength(1);
    await waitFor(() => harness.outbox.isDelivered(row?.id ?? ''), Boolean);
    const after = await dataSource.getRepository(DeadLetterOrmEntity).findOneByOrFail({ id: letter?.id });
    expect(after.replayedAt).not.toBeNull();
  });

  it('skips a re-delivered event for every handler that already handled it (inbox)', async () => {
    const calls: string[] = [];
    relay.subscribe('Once', type, async (event) => void calls.push(event.id));
    relay.start();
    await writeEvents(harness, [new EventSource(uuidv7()).emit(type, 1)]);
    await waitFor(
      () => calls.length,
      (count) => count === 1,
    );
    const [row] = await rowsOf(type);
    await waitFor(() => harness.outbox.isDelivered(row?.id ?? ''), Boolean);

    // As if the relay had crashed after the handler committed but before marking the row delivered.
    await dataSource
      .getRepository(OutboxEventOrmEntity)
      .update({ id: row?.id }, { deliveredAt: null, claimedUntil: null });
    await waitFor(() => harness.outbox.isDelivered(row?.id ?? ''), Boolean);

    expect(calls).toHaveLength(1);
  });

  it('rolls back a failing handler together with its inbox row, so the retry runs it again', async () => {
    let runs = 0;
    relay.subscribe('FailsOnce', type, async () => {
      runs += 1;
      if (runs === 1) throw new Error('first run fails');
    });
    relay.start();
    await writeEvents(harness, [new EventSource(uuidv7()).emit(type, 1)]);
    const [row] = await waitFor(
      () => rowsOf(type),
      (rows) => rows[0]?.deliveredAt != null,
    );
    expect(runs).toBe(2);
    expect(await dataSource.getRepository(InboxOrmEntity).countBy({ eventId: row?.id })).toBe(1);
  });

  it('reports backlog, oldest undelivered age, dead letters and delivery latency for the metrics work', async () => {
    const before = await relay.monitor.snapshot();
    await writeEvents(harness, [new EventSource(uuidv7()).emit(type, 1), new EventSource(uuidv7()).emit(type, 2)]);
    const waiting = await relay.monitor.snapshot(new Date(Date.now() + 5_000));
    expect(waiting.backlog - before.backlog).toBe(2);
    expect(waiting.oldestUndeliveredAgeSeconds).toBeGreaterThanOrEqual(5);

    relay.subscribe('Counted', type, async () => undefined);
    relay.start();
    await waitFor(
      () => relay.monitor.snapshot(),
      (snapshot) => snapshot.deliveredTotal >= 2,
    );
    const after = await relay.monitor.snapshot();
    // Rows other tests left behind in a shared database are delivered too: never more than before.
    expect(after.backlog).toBeLessThanOrEqual(before.backlog);
    expect(after.deliveryLatency.count).toBeGreaterThanOrEqual(2);
    expect(after.deliveryLatency.p99).toBeGreaterThanOrEqual(after.deliveryLatency.p50);
    expect(after.unpublished).toBe(before.unpublished);
  });

  it('prunes finished rows past the retention, but keeps rows with an open dead letter', async () => {
    const sources = [new EventSource(uuidv7()).emit(type, 1), new EventSource(uuidv7()).emit(type, 2)];
    await writeEvents(harness, sources);
    const rows = await rowsOf(type);
    const longAgo = new Date(Date.now() - 10 * 86_400_000);
    const events = dataSource.getRepository(OutboxEventOrmEntity);
    for (const row of rows) await events.update({ seq: row.seq }, { deliveredAt: longAgo });
    await dataSource.getRepository(DeadLetterOrmEntity).insert({
      id: uuidv7(),
      eventId: rows[1]?.id ?? '',
      eventType: type,
      handler: 'Gone',
      attempts: 8,
      lastError: 'x',
      traceContext: null,
      deadAt: longAgo,
      replayedAt: null,
    });

    await harness.outbox.prune(new Date(Date.now() - 7 * 86_400_000), 1_000);

    expect((await rowsOf(type)).map((row) => row.id)).toEqual([rows[1]?.id]);

    // With a broker, an unpublished row is not finished yet; without one it is (nothing will publish it).
    const unpublished = new EventSource(uuidv7()).emit(type, 3);
    await writeEvents(harness, [unpublished]);
    await events.update({ aggregateId: unpublished.id }, { deliveredAt: longAgo, publishedAt: null });
    await harness.outbox.prune(new Date(Date.now() - 7 * 86_400_000), 1_000, true);
    expect(await events.countBy({ aggregateId: unpublished.id })).toBe(1);
    await harness.outbox.prune(new Date(Date.now() - 7 * 86_400_000), 1_000, false);
    expect(await events.countBy({ aggregateId: unpublished.id })).toBe(0);
  });

  describe.skipIf(testProfile().kind !== 'server')('two relays on one MariaDB database', () => {
    it('handle 1,000 events exactly once each, sharing the work', async () => {
      const second = createPersistenceHarness(await createTestDataSource(), FAST);
      const other = createRelay(second);
      const handledBy = new Map<string, string[]>();
      const record = (who: string) => async (event: IntegrationEvent) => {
        handledBy.set(event.id, [...(handledBy.get(event.id) ?? []), who]);
      };
      relay.subscribe('Counter', type, record('first'));
      other.subscribe('Counter', type, record('second'));
      try {
        for (let batch = 0; batch < 10; batch++) {
          await writeEvents(
            harness,
            Array.from({ length: 100 }, (_, n) => new EventSource(uuidv7()).emit(type, batch * 100 + n)),
          );
        }
        const started = performance.now();
        relay.start();
        other.start();
        await waitFor(
          () => handledBy.size,
          (size) => size === 1_000,
          60_000,
        );
        const seconds = (performance.now() - started) / 1000;
        await waitFor(
          async () => (await rowsOf(type)).filter((row) => row.deliveredAt === null).length,
          (left) => left === 0,
        );
        const perRelay = { first: 0, second: 0 };
        for (const who of handledBy.values()) {
          expect(who).toHaveLength(1);
          perRelay[who[0] as 'first' | 'second'] += 1;
        }
        expect(perRelay.first).toBeGreaterThan(0);
        expect(perRelay.second).toBeGreaterThan(0);
        console.log(`two relays: 1000 events in ${seconds.toFixed(2)} s (${Math.round(1000 / seconds)}/s)`, perRelay);
      } finally {
        await other.stop();
        await second.dataSource.destroy();
      }
    });
  });
});
