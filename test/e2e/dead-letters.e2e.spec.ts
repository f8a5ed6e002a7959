import { v7 as uuidv7 } from 'uuid';
import { IntegrationEventHandlers } from '../../src/platform/messaging/integration-event-handlers.js';
import type { IntegrationEvent } from '../../src/shared/application/integration-event.js';
import { ApiClient, type Session } from '../support/api-client.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { describeProfile } from '../support/test-profile.js';
import { waitFor } from '../support/wait-for.js';

interface DeadLetter {
  id: string;
  eventId: string;
  eventType: string;
  handler: string;
  attempts: number;
  lastError: string;
  traceId: string | null;
  status: 'dead' | 'replayed';
  replayedAt: string | null;
}

// Unique per run: a database reused by an earlier run may still hold that run's dead letters.
const HANDLER = `E2EWelcomeMailer.${uuidv7()}`;

describe(describeProfile('dead letters: a failing handler end to end, admin list and replay'), () => {
  let testApp: TestApp;
  let api: ApiClient;
  let admin: Session;
  let customer: Session;
  let targetEmail: string;
  let broken = true;
  const delivered: IntegrationEvent[] = [];

  beforeAll(async () => {
    testApp = await createTestApp({
      OUTBOX_MAX_ATTEMPTS: '2',
      OUTBOX_RETRY_BASE: '20ms',
      OUTBOX_POLL_INTERVAL: '50ms',
    });
    api = new ApiClient(testApp);
    targetEmail = api.uniqueEmail('dead-letter');
    // A reaction of some other context to registrations, broken for one user until the test mends it.
    testApp.app.get(IntegrationEventHandlers).register(
      { name: HANDLER, types: ['identity.user_registered'] },
      {
        handle: async (event) => {
          if (event.payload.email !== targetEmail) return;
          if (broken) throw new Error('mail server refused the connection');
          delivered.push(event);
        },
      },
    );
    admin = await api.adminSession();
    customer = await api.newCustomer();
  });
  afterAll(() => testApp.close());

  const list = (query = '') =>
    api.call<{ items: DeadLetter[]; nextCursor: string | null }>('GET', `/api/v1/admin/dead-letters${query}`, {
      token: admin.accessToken,
    });

  it('is for admins only: 401 without a token, 403 for a customer', async () => {
    expect((await api.call('GET', '/api/v1/admin/dead-letters')).body.code).toBe(40100);
    const asCustomer = await api.call('GET', '/api/v1/admin/dead-letters', { token: customer.accessToken });
    expect([asCustomer.status, asCustomer.body.code]).toEqual([403, 40300]);
    const replay = await api.call('POST', `/api/v1/admin/dead-letters/${customer.userId}/replay`, {
      token: customer.accessToken,
    });
    expect([replay.status, replay.body.code]).toEqual([403, 40300]);
  });

  it('lists the event a handler gave up on, with the trace id of the request that caused it, and replays it', async () => {
    const registered = await api.register(targetEmail);
    expect(registered.status).toBe(201);

    const letter = await waitFor(
      async () => (await list('?limit=100')).body.data.items.find((item) => item.handler === HANDLER),
      (found) => found !== undefined,
    );
    expect(letter).toMatchObject({
      eventType: 'identity.user_registered',
      attempts: 2,
      status: 'dead',
      replayedAt: null,
      traceId: registered.body.traceId,
    });
    expect(letter?.lastError).toContain('mail server refused the connection');
    expect(delivered).toEqual([]);

    broken = false;
    const replay = await api.call<DeadLetter>('POST', `/api/v1/admin/dead-letters/${letter?.id}/replay`, {
      token: admin.accessToken,
    });
    expect(replay.status).toBe(200);
    expect(replay.body.data).toMatchObject({ id: letter?.id, status: 'replayed', replayedAt: expect.any(String) });
    await waitFor(
      () => delivered.length,
      (count) => count === 1,
    );
    expect(delivered[0]).toMatchObject({
      id: letter?.eventId,
      type: 'identity.user_registered',
      version: 1,
      payload: { email: targetEmail, userId: registered.body.data.id, roles: ['customer'] },
    });

    // A second replay changes nothing and delivers nothing again.
    const again = await api.call<DeadLetter>('POST', `/api/v1/admin/dead-letters/${letter?.id}/replay`, {
      token: admin.accessToken,
    });
    expect(again.body.data.replayedAt).toBe(replay.body.data.replayedAt);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(delivered).toHaveLength(1);
  });

  it('pages with a keyset cursor and refuses bad ids and limits', async () => {
    const page = await list('?limit=1');
    expect(page.status).toBe(200);
    expect(page.body.data.items).toHaveLength(1);
    expect(page.body.data).toHaveProperty('nextCursor');
    if (page.body.data.nextCursor !== null) {
      const next = await list(`?limit=1&cursor=${page.body.data.nextCursor}`);
      expect(next.body.data.items[0]?.id).not.toBe(page.body.data.items[0]?.id);
    }
    expect((await list('?limit=0')).body.code).toBe(40000);
    expect((await list('?cursor=%%%')).status).toBe(400);
    const unknown = await api.call('POST', '/api/v1/admin/dead-letters/0193a0a0-0000-7000-8000-000000000000/replay', {
      token: admin.accessToken,
    });
    expect([unknown.status, unknown.body.code]).toEqual([404, 40400]);
    const malformed = await api.call('POST', '/api/v1/admin/dead-letters/not-a-uuid/replay', {
      token: admin.accessToken,
    });
    expect([malformed.status, malformed.body.code]).toEqual([400, 40000]);
  });
});
