import type { EventBus } from '@nestjs/cqrs';
import { PinoLogger } from 'nestjs-pino';
import { v7 as uuidv7 } from 'uuid';
import type { DataSource } from 'typeorm';
import { DisplayName } from '../../src/modules/identity/domain/display-name.value-object.js';
import { Email } from '../../src/modules/identity/domain/email.value-object.js';
import type { Role } from '../../src/modules/identity/domain/role.js';
import { User } from '../../src/modules/identity/domain/user.aggregate.js';
import { TypeOrmRefreshTokenRepository } from '../../src/modules/identity/infrastructure/persistence/typeorm-refresh-token.repository.js';
import { TypeOrmUserRepository } from '../../src/modules/identity/infrastructure/persistence/typeorm-user.repository.js';
import { TraceContext } from '../../src/platform/logging/trace-context.js';
import { outboxSettingsFrom } from '../../src/platform/persistence/database.module.js';
import { OutboxSettings } from '../../src/platform/persistence/outbox/outbox-settings.js';
import { OutboxSignal } from '../../src/platform/persistence/outbox/outbox-signal.js';
import { OutboxStore } from '../../src/platform/persistence/outbox/outbox-store.js';
import { OutboxWriter } from '../../src/platform/persistence/outbox/outbox-writer.js';
import { TransactionContext } from '../../src/platform/persistence/transaction-context.js';
import { TypeOrmUnitOfWork } from '../../src/platform/persistence/typeorm-unit-of-work.js';
import { SystemClock } from '../../src/platform/runtime/system-clock.js';
import { UuidV7IdGenerator } from '../../src/platform/runtime/uuid-v7-id-generator.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { DomainEvent } from '../../src/shared/domain/domain-event.js';

/**
 * The persistence adapters wired by hand, without Nest: one transaction context, the real unit of work with its
 * outbox writer, the outbox store and the identity repositories. The event bus is a stub that only records what
 * the unit of work publishes (the bus is not what these tests are about); `committedEventIds` records the outbox
 * rows the unit of work announced after each commit.
 */
export interface PersistenceHarness {
  readonly dataSource: DataSource;
  readonly context: TransactionContext;
  readonly unitOfWork: TypeOrmUnitOfWork;
  readonly outbox: OutboxStore;
  readonly signal: OutboxSignal;
  readonly settings: OutboxSettings;
  readonly trace: TraceContext;
  readonly committedEventIds: string[];
  readonly users: TypeOrmUserRepository;
  readonly refreshTokens: TypeOrmRefreshTokenRepository;
  /** Every event handed to the event bus, in publication order. */
  readonly published: DomainEvent[];
}

export function createPersistenceHarness(
  dataSource: DataSource,
  settings: Partial<OutboxSettings> = {},
): PersistenceHarness {
  const published: DomainEvent[] = [];
  const eventBus = { publishAll: (events: DomainEvent[]) => void published.push(...events) } as unknown as EventBus;
  const context = new TransactionContext(dataSource);
  const outboxSettings: OutboxSettings = { ...outboxSettingsFrom(loadConfig({})), ...settings };
  const trace = new TraceContext(new PinoLogger({ pinoHttp: { level: 'silent' } }));
  const ids = new UuidV7IdGenerator();
  const clock = new SystemClock();
  const writer = new OutboxWriter(ids, clock, trace, outboxSettings);
  const signal = new OutboxSignal();
  const committedEventIds: string[] = [];
  signal.onCommitted((eventIds) => void committedEventIds.push(...eventIds));
  const unitOfWork = new TypeOrmUnitOfWork(dataSource, context, eventBus, writer, signal);
  return {
    dataSource,
    context,
    unitOfWork,
    outbox: new OutboxStore(unitOfWork, context, ids),
    signal,
    settings: outboxSettings,
    trace,
    committedEventIds,
    users: new TypeOrmUserRepository(context),
    refreshTokens: new TypeOrmRefreshTokenRepository(context),
    published,
  };
}

/** An address no other test (or earlier run against the shared server database) has used. */
export function uniqueEmail(label = 'user'): string {
  return `${label}-${uuidv7()}@it.example.com`;
}

/** A new, unsaved user; only what a test cares about needs to be given. */
export function newUser(
  params: { id?: string; email?: string; displayName?: string; roles?: readonly Role[]; now?: Date } = {},
): User {
  return User.register({
    id: params.id ?? uuidv7(),
    email: Email.create(params.email ?? uniqueEmail()),
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA',
    displayName: DisplayName.create(params.displayName ?? 'Integration Test'),
    roles: params.roles ?? ['customer'],
    now: params.now ?? new Date(),
  });
}
