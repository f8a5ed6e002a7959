import { ApiClient, type Session } from '../support/api-client.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { describeProfile } from '../support/test-profile.js';

interface UserBody {
  id: string;
  email: string;
  displayName: string;
  roles: string[];
  status: string;
  version: number;
}

describe(describeProfile('identity: users/me and admin users'), () => {
  let testApp: TestApp;
  let api: ApiClient;
  let admin: Session;

  beforeAll(async () => {
    testApp = await createTestApp();
    api = new ApiClient(testApp);
    admin = await api.adminSession();
  });
  afterAll(() => testApp.close());

  describe('/api/v1/users/me', () => {
    it('reads, then updates the display name: 200 with the resource, version + 1', async () => {
      const session = await api.newCustomer();
      const before = await api.call<UserBody>('GET', '/api/v1/users/me', { token: session.accessToken });
      expect(before.status).toBe(200);
      const patched = await api.call<UserBody>('PATCH', '/api/v1/users/me', {
        token: session.accessToken,
        body: { displayName: 'Grace' },
      });
      expect(patched.status).toBe(200);
      expect(patched.body.data).toMatchObject({ displayName: 'Grace', version: before.body.data.version + 1 });
      const after = await api.call<UserBody>('GET', '/api/v1/users/me', { token: session.accessToken });
      expect(after.body.data.displayName).toBe('Grace');
    });

    it('refuses mass assignment and bad values with 400 40000 naming the fields', async () => {
      const session = await api.newCustomer();
      const response = await api.call('PATCH', '/api/v1/users/me', {
        token: session.accessToken,
        body: { displayName: 'x'.repeat(101), roles: ['admin'] },
      });
      expect(response.status).toBe(400);
      expect(response.body.errors?.map((error) => error.field).sort()).toEqual(['displayName', 'roles']);
    });

    it('refuses unknown query parameters with 400 40000', async () => {
      const session = await api.newCustomer();
      const response = await api.call('GET', '/api/v1/users/me?expand=all', { token: session.accessToken });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([{ field: 'expand', message: expect.any(String) }]);
    });

    it('needs a token: 401 40100 without one', async () => {
      const response = await api.call('GET', '/api/v1/users/me');
      expect(response.status).toBe(401);
      expect(response.body.code).toBe(40100);
    });

    it('changes the password: 204, old password and every refresh token stop working', async () => {
      const session = await api.newCustomer('old-password-1');
      const wrong = await api.call('POST', '/api/v1/users/me/password', {
        token: session.accessToken,
        body: { currentPassword: 'not-it-at-all', newPassword: 'new-password-1' },
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body.errors?.[0]?.field).toBe('currentPassword');
      const changed = await api.call('POST', '/api/v1/users/me/password', {
        token: session.accessToken,
        body: { currentPassword: 'old-password-1', newPassword: 'new-password-1' },
      });
      expect(changed.status).toBe(204);
      expect((await api.login(session.email, 'old-password-1')).status).toBe(401);
      expect((await api.login(session.email, 'new-password-1')).status).toBe(200);
      const refresh = await api.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: session.refreshToken } });
      expect(refresh.status).toBe(401);
    });
  });

  describe('admin routes', () => {
    it('answer a customer 403 40300', async () => {
      const customer = await api.newCustomer();
      for (const [method, url] of [
        ['GET', '/api/v1/users'],
        ['GET', `/api/v1/users/${customer.userId}`],
        ['DELETE', `/api/v1/users/${customer.userId}`],
      ] as const) {
        const response = await api.call(method, url, { token: customer.accessToken });
        expect(response.status, `${method} ${url}`).toBe(403);
        expect(response.body.code).toBe(40300);
      }
    });

    it('create a user with roles (201) and read it back', async () => {
      const email = api.uniqueEmail('created');
      const created = await api.call<UserBody>('POST', '/api/v1/users', {
        token: admin.accessToken,
        body: { email, password: 'password-1234', displayName: 'Made by admin', roles: ['admin', 'customer'] },
      });
      expect(created.status).toBe(201);
      expect(created.body.data.roles).toEqual(['customer', 'admin']);
      const read = await api.call<UserBody>('GET', `/api/v1/users/${created.body.data.id}`, {
        token: admin.accessToken,
      });
      expect(read.body.data).toEqual(created.body.data);
    });

    it('answer 404 40400 for an unknown id and 400 for a malformed one', async () => {
      const unknown = await api.call('GET', '/api/v1/users/01936d1c-8f1e-7abc-8def-0123456789ab', {
        token: admin.accessToken,
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe(40400);
      const malformed = await api.call('GET', '/api/v1/users/123', { token: admin.accessToken });
      expect(malformed.status).toBe(400);
      expect(malformed.body.errors?.[0]?.field).toBe('id');
    });

    it('list users newest first, filtered by a literal email prefix, with keyset pages', async () => {
      const prefix = `page_${Date.now()}`;
      const made: string[] = [];
      for (let index = 0; index < 5; index++)
        made.push((await api.register(`${prefix}-${index}@test.example`)).body.data.id as string);
      const decoy = await api.register(`${prefix.replace('_', 'x')}-decoy@test.example`);
      expect(decoy.status).toBe(201);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `/api/v1/users?email=${encodeURIComponent(prefix)}&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`;
        const page = await api.call<{ items: UserBody[]; nextCursor: string | null }>('GET', query, {
          token: admin.accessToken,
        });
        expect(page.status).toBe(200);
        expect(page.body.data.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.data.items.map((user) => user.id));
        cursor = page.body.data.nextCursor;
      } while (cursor !== null);
      expect(seen).toEqual([...made].reverse());
    });

    it('filter by role and status', async () => {
      const customer = await api.newCustomer();
      await api.call('PATCH', `/api/v1/users/${customer.userId}`, {
        token: admin.accessToken,
        body: { status: 'suspended' },
      });
      const suspended = await api.call<{ items: UserBody[] }>(
        'GET',
        '/api/v1/users?status=suspended&role=customer&limit=100',
        {
          token: admin.accessToken,
        },
      );
      expect(suspended.body.data.items.map((user) => user.id)).toContain(customer.userId);
      expect(
        suspended.body.data.items.every((user) => user.status === 'suspended' && user.roles.includes('customer')),
      ).toBe(true);
      const admins = await api.call<{ items: UserBody[] }>('GET', '/api/v1/users?role=admin&limit=100', {
        token: admin.accessToken,
      });
      expect(admins.body.data.items.every((user) => user.roles.includes('admin'))).toBe(true);
    });

    it('reject bad paging and unknown filters with 400 40000', async () => {
      for (const query of [
        'limit=0',
        'limit=101',
        'limit=ten',
        'cursor=%%%',
        'cursor=bm9wZQ',
        'sort=email',
        'status=gone',
      ]) {
        const response = await api.call('GET', `/api/v1/users?${query}`, { token: admin.accessToken });
        expect(response.status, query).toBe(400);
        expect(response.body.code, query).toBe(40000);
      }
    });

    it('suspension locks the user out on the very next request; reactivation lets them back', async () => {
      const customer = await api.newCustomer();
      expect((await api.call('GET', '/api/v1/users/me', { token: customer.accessToken })).status).toBe(200);
      const suspended = await api.call<UserBody>('PATCH', `/api/v1/users/${customer.userId}`, {
        token: admin.accessToken,
        body: { status: 'suspended' },
      });
      expect(suspended.status).toBe(200);
      expect(suspended.body.data.status).toBe('suspended');
      const locked = await api.call('GET', '/api/v1/users/me', { token: customer.accessToken });
      expect(locked.status).toBe(401);
      expect(
        (await api.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: customer.refreshToken } })).status,
      ).toBe(401);
      expect((await api.login(customer.email, customer.password)).status).toBe(401);
      await api.call('PATCH', `/api/v1/users/${customer.userId}`, {
        token: admin.accessToken,
        body: { status: 'active' },
      });
      expect((await api.call('GET', '/api/v1/users/me', { token: customer.accessToken })).status).toBe(200);
    });

    it('role changes apply to the next request', async () => {
      const customer = await api.newCustomer();
      await api.call('PATCH', `/api/v1/users/${customer.userId}`, {
        token: admin.accessToken,
        body: { roles: ['customer', 'admin'] },
      });
      expect((await api.call('GET', '/api/v1/users', { token: customer.accessToken })).status).toBe(200);
      await api.call('PATCH', `/api/v1/users/${customer.userId}`, {
        token: admin.accessToken,
        body: { roles: ['customer'] },
      });
      expect((await api.call('GET', '/api/v1/users', { token: customer.accessToken })).status).toBe(403);
    });

    it('delete deactivates: 200 with status deleted, tokens dead, further changes 422', async () => {
      const customer = await api.newCustomer();
      const deleted = await api.call<UserBody>('DELETE', `/api/v1/users/${customer.userId}`, {
        token: admin.accessToken,
      });
      expect(deleted.status).toBe(200);
      expect(deleted.body.data.status).toBe('deleted');
      expect((await api.call('GET', '/api/v1/users/me', { token: customer.accessToken })).status).toBe(401);
      const revive = await api.call('PATCH', `/api/v1/users/${customer.userId}`, {
        token: admin.accessToken,
        body: { status: 'active' },
      });
      expect(revive.status).toBe(422);
      expect(revive.body.code).toBe(42211);
    });

    it('an admin cannot lock themselves out (422 42210)', async () => {
      const demote = await api.call('PATCH', `/api/v1/users/${admin.userId}`, {
        token: admin.accessToken,
        body: { roles: ['customer'] },
      });
      expect(demote.status).toBe(422);
      expect(demote.body.code).toBe(42210);
      const remove = await api.call('DELETE', `/api/v1/users/${admin.userId}`, { token: admin.accessToken });
      expect(remove.body.code).toBe(42210);
    });

    it('concurrent admin updates of one user never lose an update or answer 5xx', async () => {
      const customer = await api.newCustomer();
      const answers = await Promise.all(
        ['A', 'B', 'C', 'D', 'E', 'F'].map((name) =>
          api.call<UserBody>('PATCH', `/api/v1/users/${customer.userId}`, {
            token: admin.accessToken,
            body: { displayName: `Name ${name}` },
          }),
        ),
      );
      expect(
        answers.every((answer) => answer.status === 200 || (answer.status === 409 && answer.body.code === 40901)),
      ).toBe(true);
      const winners = answers.filter((answer) => answer.status === 200);
      const final = await api.call<UserBody>('GET', `/api/v1/users/${customer.userId}`, { token: admin.accessToken });
      expect(final.body.data.version).toBe(1 + winners.length);
    });
  });
});
