import type { EntityManager } from 'typeorm';
import { FixedClock } from '../../../../test/support/fakes/fixed-clock.js';
import { SequentialIdGenerator } from '../../../../test/support/fakes/sequential-id-generator.js';
import { DomainEvent } from '../../../shared/domain/domain-event.js';
import type { TraceContext } from '../../logging/trace-context.js';
import type { OutboxSettings } from './outbox-settings.js';
import { OutboxSubscriptions } from './outbox-subscriptions.js';
import { OutboxWriter } from './outbox-writer.js';
import { IntegrationEventHandlers } from '../../messaging/integration-event-handlers.js';

class Happened extends DomainEvent {
  constructor(
    readonly type: string,
    aggregateId: string,
    private readonly data: Record<string, unknown> = { n: 1 },
  ) {
    super(aggregateId, new Date('2026-12-01T10:00:00.000Z'));
  }
  payload() {
    return this.data;
  }
}

class Subscribed extends OutboxSubscriptions {
  constructor(private readonly types: readonly string[]) {
    super();
  }
  isSubscribed(type: string): boolean {
    return this.types.includes(type);
  }
}

/** The columns the writer inserts, in order (see OUTBOX_COLUMNS), so each row's parameters can be read back. */
const COLUMNS = [
  'id',
  'type',
  'version',
  'aggregateId',
  'payload',
  'occurredAt',
  'traceContext',
  'traceState',
  'attempts',
  'nextAttemptAt',
  'deliveredAt',
  'publishedAt',
] as const;

function setUp(brokerEnabled: boolean, subscriptions?: OutboxSubscriptions) {
  const inserted: Record<(typeof COLUMNS)[number], unknown>[] = [];
  const manager = {
    connection: { options: { type: 'mysql' } },
    queryRunner: {
      query: (sql: string, parameters: unknown[]) => {
        expect(sql).toMatch(/^INSERT INTO outbox_events \(id, type, /);
        for (let at = 0; at < parameters.length; at += COLUMNS.length) {
          inserted.push(Object.fromEntries(COLUMNS.map((column, index) => [column, parameters[at + index]])) as never);
        }
        return Promise.resolve({ affected: parameters.length / COLUMNS.length });
      },
    },
  } as unknown as EntityManager;
  const trace = { propagation: () => ({ traceContext: 'trace-1', traceState: null }) } as unknown as TraceContext;
  const clock = new FixedClock('2026-12-01T10:00:01.000Z');
  const writer = new OutboxWriter(
    new SequentialIdGenerator(),
    clock,
    trace,
    { brokerEnabled } as OutboxSettings,
    subscriptions,
  );
  return { writer, manager, inserted, now: clock.now() };
}

describe('OutboxWriter', () => {
  it('writes a row nobody in the process handles as already delivered; the broker still gets it', async () => {
    const { writer, manager, inserted, now } = setUp(true, new Subscribed(['ordering.order_placed']));
    await writer.write(manager, [
      new Happened('ordering.order_placed', 'o-1'),
      new Happened('inventory.stock_changed', 'p-1'),
    ]);
    expect(inserted.map((row) => [row.type, row.deliveredAt, row.publishedAt])).toEqual([
      ['ordering.order_placed', null, null],
      ['inventory.stock_changed', now, null],
    ]);
  });

  it('without a broker, marks rows published; without subscriptions known, every row waits for the relay', async () => {
    const { writer, manager, inserted, now } = setUp(false);
    await writer.write(manager, [new Happened('inventory.stock_changed', 'p-1')]);
    expect(inserted[0]).toMatchObject({ deliveredAt: null, publishedAt: now, traceContext: 'trace-1', attempts: 0 });
  });

  it('asks each subscription’s `where`: a row no handler accepts is written delivered, the others wait', async () => {
    const handlers = new IntegrationEventHandlers(undefined as never);
    const handler = { handle: () => Promise.resolve() };
    handlers.register({ types: ['ordering.order_placed'], name: 'inventory.reserve' }, handler);
    const withCoupon = (payload: Readonly<Record<string, unknown>>) => payload.couponCode !== null;
    handlers.register(
      { types: ['ordering.order_placed', 'ordering.order_confirmed'], name: 'promo', where: withCoupon },
      handler,
    );
    const { writer, manager, inserted, now } = setUp(false, handlers);
    await writer.write(manager, [
      new Happened('ordering.order_placed', 'o-1', { couponCode: null }),
      new Happened('ordering.order_confirmed', 'o-1', { couponCode: null }),
      new Happened('ordering.order_confirmed', 'o-2', { couponCode: 'SPRING' }),
    ]);
    expect(inserted.map((row) => [row.type, row.aggregateId, row.deliveredAt])).toEqual([
      ['ordering.order_placed', 'o-1', null],
      ['ordering.order_confirmed', 'o-1', now],
      ['ordering.order_confirmed', 'o-2', null],
    ]);
    // The relay hands each event only to the handlers that accept it.
    expect(handlers.for('ordering.order_placed', { couponCode: null }).map((h) => h.name)).toEqual([
      'inventory.reserve',
    ]);
    expect(handlers.for('ordering.order_placed', { couponCode: 'X' }).map((h) => h.name)).toEqual([
      'inventory.reserve',
      'promo',
    ]);
  });
});
