import { setTimeout as sleep } from 'node:timers/promises';
import { Body, Controller, HttpCode, Module, Post, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, CommandHandler } from '@nestjs/cqrs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsObject, IsOptional, IsString, Length } from 'class-validator';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { AppModule } from '../../src/app.module.js';
import { CurrentUser } from '../../src/platform/auth/auth.decorators.js';
import type { Principal } from '../../src/platform/auth/principal.js';
import { configureHttp, createFastifyAdapter } from '../../src/platform/http/configure-http.js';
import { ErrorCatalog } from '../../src/platform/http/error-catalog.js';
import { createOpenApiDocument } from '../../src/platform/http/openapi.js';
import { ERROR_CODES_EXTENSION } from '../../src/platform/http/openapi.decorators.js';
import { IdempotencyPruner } from '../../src/platform/idempotency/idempotency-pruner.js';
import { IdempotencyRecordOrmEntity } from '../../src/platform/idempotency/idempotency-record.orm-entity.js';
import { IdempotencyKeyTakenError, IdempotencyStore } from '../../src/platform/idempotency/idempotency-store.js';
import { Idempotent } from '../../src/platform/idempotency/idempotent.decorator.js';
import { scopeId } from '../../src/platform/idempotency/request-fingerprint.js';
import { TransactionContext } from '../../src/platform/persistence/transaction-context.js';
import { SystemClock } from '../../src/platform/runtime/system-clock.js';
import type { TransactionalCommandHandler } from '../../src/shared/application/transactional-command-handler.js';
import { UnitOfWork } from '../../src/shared/application/unit-of-work.js';
import { NotFoundError } from '../../src/shared/domain/domain-error.js';
import { ApiClient, type ApiResponse, type Session } from '../support/api-client.js';
import { testAppConfig, type TestApp } from '../support/create-test-app.js';
import { createPersistenceHarness } from '../support/persistence-harness.js';
import { createTestDataSource } from '../support/test-data-source.js';
import { describeProfile, testProfile } from '../support/test-profile.js';

/**
 * The side effect of the test-only routes: one row per executed request, written by a command handler through the
 * real command pipeline and unit of work (the same path an order placement takes), so "exactly one side effect"
 * is a row count.
 */
const EFFECTS_TABLE = 'idem_test_effects';
const EFFECTS_ROUTE = '/api/v1/idempotency-test/effects';
const OTHER_ROUTE = '/api/v1/idempotency-test/other-effects';

/** What the tests steer in the handler; tests in a file run one after the other. */
const steering = {
  failures: 0,
  deadlocks: 0,
  delayMs: 0,
  executions: 0,
  preparedInTransaction: undefined as boolean | undefined,
};
const MAPPED_ROUTE = '/api/v1/idempotency-test/mapped-effects';
const COMMANDLESS_ROUTE = '/api/v1/idempotency-test/no-command';

interface EffectView {
  id: string;
  label: string;
  userId: string;
  details: Record<string, unknown> | null;
}

class RecordEffect {
  constructor(
    readonly userId: string,
    readonly label: string,
    readonly details: Record<string, unknown> | undefined,
  ) {}
}

@CommandHandler(RecordEffect)
class RecordEffectHandler implements TransactionalCommandHandler<RecordEffect, EffectView> {
  constructor(private readonly context: TransactionContext) {}

  // Slow look-ups belong here (the catalog's prices, a password hash): they must not hold a pooled connection.
  async prepare(): Promise<undefined> {
    steering.preparedInTransaction = this.context.current !== undefined;
    return undefined;
  }

  async execute(command: RecordEffect): Promise<EffectView> {
    steering.executions += 1;
    const id = uuidv7();
    await this.context.manager().query(`INSERT INTO ${EFFECTS_TABLE} (id, label) VALUES (?, ?)`, [id, command.label]);
    if (steering.delayMs > 0) await sleep(steering.delayMs);
    if (steering.deadlocks > 0) {
      steering.deadlocks -= 1;
      // What mysql2 reports for a deadlock: the unit of work rolls back and runs the whole work again.
      throw Object.assign(new Error('simulated deadlock'), { errno: 1213 });
    }
    if (steering.failures > 0) {
      steering.failures -= 1;
      throw new NotFoundError('Test thing');
    }
    return { id, label: command.label, userId: command.userId, details: command.details ?? null };
  }
}

class EffectRequest {
  @IsString()
  @Length(1, 100)
  label!: string;

  @IsOptional()
  @IsObject()
  details?: Record<string, unknown>;
}

@Controller('api/v1/idempotency-test')
class EffectsController {
  constructor(private readonly commands: CommandBus) {}

  @Post('effects')
  @Idempotent()
  record(@CurrentUser() user: Principal, @Body() body: EffectRequest): Promise<EffectView> {
    return this.commands.execute<RecordEffect, EffectView>(new RecordEffect(user.id, body.label, body.details));
  }

  /** Answers something other than the command's result: the record is corrected after the commit. */
  @Post('mapped-effects')
  @Idempotent()
  async recordMapped(@CurrentUser() user: Principal, @Body() body: EffectRequest): Promise<EffectView> {
    const view = await this.commands.execute<RecordEffect, EffectView>(
      new RecordEffect(user.id, body.label, body.details),
    );
    return { ...view, label: `mapped:${view.label}` };
  }

  /** Sends no command at all: its answer is stored in a transaction of its own. */
  @Post('no-command')
  @Idempotent()
  noCommand(@Body() body: EffectRequest): { label: string; at: string } {
    steering.executions += 1;
    return { label: body.label, at: new Date().toISOString() };
  }

  @Post('other-effects')
  @HttpCode(200)
  @Idempotent()
  recordOther(@CurrentUser() user: Principal, @Body() body: EffectRequest): Promise<EffectView> {
    return this.commands.execute<RecordEffect, EffectView>(new RecordEffect(user.id, body.label, body.details));
  }
}

@Module({})
class IdempotencyTestModule {}

/** The real application (IdempotencyModule included) plus the test controller, on the test profile's database. */
async function startApp(admin: { email: string; password: string }): Promise<TestApp> {
  const config = testAppConfig(admin);
  const root: DynamicModule = {
    module: IdempotencyTestModule,
    imports: [AppModule.forRoot(config)],
    controllers: [EffectsController],
    providers: [RecordEffectHandler],
  };
  const app = await NestFactory.create<NestFastifyApplication>(root, createFastifyAdapter(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  await configureHttp(app, config);
  await app.init();
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.ready();
  const textType = testProfile().kind === 'server' ? 'VARCHAR(100) CHARACTER SET utf8mb4' : 'VARCHAR(100)';
  await app
    .get(DataSource)
    .query(`CREATE TABLE IF NOT EXISTS ${EFFECTS_TABLE} (id VARCHAR(36) PRIMARY KEY, label ${textType} NOT NULL)`);
  return { app, admin, request: (options) => fastify.inject(options), close: () => app.close() };
}

/** Counts claims that found the key taken, passing every call through to the real store. */
function countTakenClaims(app: TestApp): { count: () => number; restore: () => void } {
  let taken = 0;
  const spy = vi.spyOn(app.app.get(IdempotencyStore), 'claim');
  const original = spy.getMockImplementation() ?? IdempotencyStore.prototype.claim;
  spy.mockImplementation(async function (this: IdempotencyStore, claim) {
    try {
      return await original.call(this, claim);
    } catch (error) {
      if (error instanceof IdempotencyKeyTakenError) taken += 1;
      throw error;
    }
  });
  return { count: () => taken, restore: () => spy.mockRestore() };
}

describe(describeProfile('idempotency: Idempotency-Key on a real route, atomic with its side effect'), () => {
  const admin = { email: `admin-${uuidv7()}@test.example`, password: 'admin-password-123' };
  let testApp: TestApp;
  let api: ApiClient;
  let alice: Session;
  let bob: Session;
  let dataSource: DataSource;

  beforeAll(async () => {
    testApp = await startApp(admin);
    api = new ApiClient(testApp);
    dataSource = testApp.app.get(DataSource);
    [alice, bob] = [await api.newCustomer(), await api.newCustomer()];
  });
  afterAll(() => testApp.close());
  beforeEach(() =>
    Object.assign(steering, { failures: 0, deadlocks: 0, delayMs: 0, executions: 0, preparedInTransaction: undefined }),
  );

  const uniqueLabel = () => `effect-${uuidv7()}`;
  const newKey = () => `key-${uuidv7()}`;

  function post(
    client: ApiClient,
    session: Session,
    body: unknown,
    key: string | undefined,
    route = EFFECTS_ROUTE,
  ): Promise<ApiResponse<EffectView>> {
    return client.call<EffectView>('POST', route, {
      token: session.accessToken,
      body,
      headers: key === undefined ? {} : { 'idempotency-key': key },
    });
  }

  async function effects(label: string): Promise<number> {
    const rows: { n: number | string }[] = await dataSource.query(
      `SELECT COUNT(*) AS n FROM ${EFFECTS_TABLE} WHERE label = ?`,
      [label],
    );
    return Number(rows[0]?.n ?? 0);
  }

  const recordOf = (session: Session, key: string, route = EFFECTS_ROUTE) =>
    testApp.app.get(IdempotencyStore).find(scopeId({ userId: session.userId, method: 'POST', route, key }));

  it('replays the first answer (status, body) for the same key and body, in any key order, without a second effect', async () => {
    const label = uniqueLabel();
    const key = newKey();
    const first = await post(api, alice, { label, details: { b: 2, a: { y: 1, x: [1, 2] } } }, key);
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(first.body.data).toMatchObject({ label, userId: alice.userId, details: { a: { x: [1, 2], y: 1 }, b: 2 } });

    const again = await post(api, alice, { details: { a: { x: [1, 2], y: 1 }, b: 2 }, label }, key);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.code).toBe(0);
    expect(again.body.data).toEqual(first.body.data);
    expect(again.body.traceId).not.toBe(first.body.traceId);
    expect(await effects(label)).toBe(1);
    expect(steering.executions).toBe(1);
  });

  it('runs the command’s prepare outside any transaction; claim, effect and answer commit together', async () => {
    const label = uniqueLabel();
    const key = newKey();
    expect((await post(api, alice, { label }, key)).status).toBe(201);
    expect(steering.preparedInTransaction).toBe(false);
    expect(await recordOf(alice, key)).toMatchObject({ statusCode: 201 });
  });

  it('stores what the client got when a route answers other than its command’s result, or sends no command', async () => {
    const mappedKey = newKey();
    const label = uniqueLabel();
    const mapped = await post(api, alice, { label }, mappedKey, MAPPED_ROUTE);
    expect(mapped.body.data.label).toBe(`mapped:${label}`);
    const mappedAgain = await post(api, alice, { label }, mappedKey, MAPPED_ROUTE);
    expect(mappedAgain.headers['idempotent-replayed']).toBe('true');
    expect(mappedAgain.body.data).toEqual(mapped.body.data);
    expect(await effects(label)).toBe(1);

    const plainKey = newKey();
    const plain = await post(api, alice, { label }, plainKey, COMMANDLESS_ROUTE);
    expect(plain.status).toBe(201);
    const plainAgain = await post(api, alice, { label }, plainKey, COMMANDLESS_ROUTE);
    expect(plainAgain.headers['idempotent-replayed']).toBe('true');
    expect(plainAgain.body.data).toEqual(plain.body.data);
    expect(steering.executions).toBe(2);
  });

  it('answers 409 40902 for the same key with another body, and changes nothing', async () => {
    const label = uniqueLabel();
    const key = newKey();
    expect((await post(api, alice, { label }, key)).status).toBe(201);
    const other = await post(api, alice, { label, details: { more: true } }, key);
    expect(other.status).toBe(409);
    expect(other.body.code).toBe(40902);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(await effects(label)).toBe(1);
  });

  it('keeps users apart: another user with the same key and body gets an answer of their own', async () => {
    const label = uniqueLabel();
    const key = newKey();
    const mine = await post(api, alice, { label }, key);
    const theirs = await post(api, bob, { label }, key);
    expect(theirs.status).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(theirs.body.data.userId).toBe(bob.userId);
    expect(theirs.body.data.id).not.toBe(mine.body.data.id);
    expect(await effects(label)).toBe(2);
  });

  it('keeps routes apart, and stores the status the route answers (@HttpCode(200))', async () => {
    const label = uniqueLabel();
    const key = newKey();
    const created = await post(api, alice, { label }, key);
    const other = await post(api, alice, { label }, key, OTHER_ROUTE);
    expect(created.status).toBe(201);
    expect(other.status).toBe(200);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(other.body.data.id).not.toBe(created.body.data.id);
    const replayed = await post(api, alice, { label }, key, OTHER_ROUTE);
    expect(replayed.status).toBe(200);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body.data).toEqual(other.body.data);
    expect((await recordOf(alice, key, OTHER_ROUTE))?.statusCode).toBe(200);
    expect(await effects(label)).toBe(2);
  });

  it('refuses a missing or malformed key with 400 40000 naming the header, before any effect', async () => {
    const label = uniqueLabel();
    const missing = await post(api, alice, { label }, undefined);
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe(40000);
    expect(missing.body.errors).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
    for (const key of ['has space', 'k'.repeat(256), 'clé']) {
      const invalid = await post(api, alice, { label }, key);
      expect(invalid.status).toBe(400);
      expect(invalid.body.code).toBe(40000);
      expect(invalid.body.errors?.[0]?.field).toBe('Idempotency-Key');
    }
    expect(await effects(label)).toBe(0);
  });

  it('stores nothing when the handler fails: the claim rolls back with the effect and the same key may be retried', async () => {
    const label = uniqueLabel();
    const key = newKey();
    steering.failures = 1;
    const failed = await post(api, alice, { label }, key);
    expect(failed.status).toBe(404);
    expect(failed.body.code).toBe(40400);
    expect(await effects(label)).toBe(0);
    expect(await recordOf(alice, key)).toBeUndefined();

    const retried = await post(api, alice, { label }, key);
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(await effects(label)).toBe(1);
    expect(await recordOf(alice, key)).toMatchObject({ statusCode: 201 });
  });

  it('re-runs the controller on a deadlock retry, inside the same transaction as the record: one effect, one record', async () => {
    const label = uniqueLabel();
    const key = newKey();
    steering.deadlocks = 1;
    const answer = await post(api, alice, { label }, key);
    expect(answer.status).toBe(201);
    expect(steering.executions).toBe(2);
    expect(await effects(label)).toBe(1);
    const replayed = await post(api, alice, { label }, key);
    expect(replayed.body.data).toEqual(answer.body.data);
    expect(steering.executions).toBe(2);
  });

  it('20 concurrent duplicates: exactly one effect and 20 identical answers', async () => {
    const label = uniqueLabel();
    const key = newKey();
    steering.delayMs = 100; // the first request holds its transaction open while the others arrive
    const taken = countTakenClaims(testApp);
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(api, alice, { label }, key)));
    // Some duplicates got as far as claiming (on MySQL: their INSERT waited on the first one's key), not only the
    // pre-read: the path that has to be atomic was exercised.
    expect(taken.count()).toBeGreaterThan(0);
    taken.restore();
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    const bodies = new Set(answers.map((a) => JSON.stringify(a.body.data)));
    expect(bodies.size).toBe(1);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
    expect(await effects(label)).toBe(1);
    expect(steering.executions).toBe(1);
  });

  it('treats an expired key as new, and the pruner deletes expired records', async () => {
    const label = uniqueLabel();
    const key = newKey();
    const first = await post(api, alice, { label }, key);
    const id = scopeId({ userId: alice.userId, method: 'POST', route: EFFECTS_ROUTE, key });
    const past = new Date(Date.now() - 60_000);
    await dataSource.getRepository(IdempotencyRecordOrmEntity).update({ id }, { expiresAt: past });

    const fresh = await post(api, alice, { label, details: { another: 'body' } }, key);
    expect(fresh.status).toBe(201);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
    expect(fresh.body.data.id).not.toBe(first.body.data.id);
    expect(await effects(label)).toBe(2);
    const renewed = await recordOf(alice, key);
    expect(renewed?.expiresAt.getTime()).toBeGreaterThan(Date.now() + 23 * 60 * 60_000);

    await dataSource.getRepository(IdempotencyRecordOrmEntity).update({ id }, { expiresAt: past });
    expect(await testApp.app.get(IdempotencyPruner).pruneNow()).toBeGreaterThanOrEqual(1);
    expect(await recordOf(alice, key)).toBeUndefined();
  });

  it('the pruner runs on its interval, deletes in batches, and keeps records that have not expired', async () => {
    const store = testApp.app.get(IdempotencyStore);
    const past = new Date(Date.now() - 1_000);
    const ids = Array.from({ length: 5 }, () => `${uuidv7()}`.replaceAll('-', '').padEnd(64, '0'));
    const live = `${uuidv7()}`.replaceAll('-', '').padEnd(64, 'f');
    for (const id of [...ids, live]) {
      await store.claim({
        id,
        fingerprint: '0'.repeat(64),
        userId: undefined,
        route: EFFECTS_ROUTE,
        createdAt: past,
        expiresAt: id === live ? new Date(Date.now() + 60_000) : past,
      });
    }
    const pruner = new IdempotencyPruner(store, testApp.app.get(UnitOfWork), new SystemClock(), {
      retentionMs: 60_000,
      pruneIntervalMs: 20,
      pruneBatchSize: 2,
    });
    pruner.onApplicationBootstrap();
    try {
      const deadline = Date.now() + 5_000;
      while ((await Promise.all(ids.map((id) => store.find(id)))).some((row) => row !== undefined)) {
        if (Date.now() > deadline) throw new Error('expired records were not pruned');
        await sleep(20);
      }
    } finally {
      await pruner.beforeApplicationShutdown();
    }
    expect(await store.find(live)).toBeDefined();
    await store.deleteExpired(live, new Date(Date.now() + 120_000));
  });

  it('the pruner never throws when the database is unreachable', async () => {
    const lost = createPersistenceHarness(await createTestDataSource());
    const store = new IdempotencyStore(lost.context);
    await lost.dataSource.destroy();
    const pruner = new IdempotencyPruner(store, lost.unitOfWork, new SystemClock(), {
      retentionMs: 60_000,
      pruneIntervalMs: 60_000,
      pruneBatchSize: 10,
    });
    await expect(pruner.pruneNow()).resolves.toBe(0);
  });

  it('documents the header and the 409 40902 answer in OpenAPI', () => {
    const document = createOpenApiDocument(testApp.app, testApp.app.get(ErrorCatalog));
    const operation = document.paths[EFFECTS_ROUTE]?.post;
    expect(operation?.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }),
    );
    expect((operation as Record<string, unknown> | undefined)?.[ERROR_CODES_EXTENSION]).toEqual(
      expect.arrayContaining([40000, 40902]),
    );
    expect(JSON.stringify(operation?.responses['409'])).toContain('40902');
  });

  describe.runIf(testProfile().kind === 'server')('two instances on one database', () => {
    let second: TestApp;
    let secondApi: ApiClient;

    beforeAll(async () => {
      second = await startApp(admin);
      secondApi = new ApiClient(second);
    });
    afterAll(() => second.close());

    it('concurrent duplicates spread over both instances make one effect and one answer', async () => {
      const label = uniqueLabel();
      const key = newKey();
      steering.delayMs = 100;
      const taken = [countTakenClaims(testApp), countTakenClaims(second)];
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => post(i % 2 === 0 ? api : secondApi, alice, { label }, key)),
      );
      expect(taken[0].count() + taken[1].count()).toBeGreaterThan(0);
      taken.forEach((spy) => spy.restore());
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
      expect(new Set(answers.map((a) => JSON.stringify(a.body.data))).size).toBe(1);
      expect(await effects(label)).toBe(1);
      expect(steering.executions).toBe(1);
    });
  });
});
