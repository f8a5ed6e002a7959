// Proves that every rule in .dependency-cruiser.cjs bites (ARCHITECTURE §5: "a rule needs a test that proves it
// bites"). Each case writes a small source tree that breaks exactly one thing, cruises it with the repository's
// own config through the real CLI, and compares the violations it reports — rule, importing file, imported
// module — with the expected list. A compliant tree shaped like a real context must pass every rule.
//
// The fixtures live in a dot-folder test/.arch-fixtures-<random> inside the repository, so they resolve packages
// from its node_modules exactly as src/ does. git, eslint and prettier ignore that pattern, tsc's globs skip
// dot-folders, and no vitest project's include matches it (vitest's globs do enter dot-folders: keep it outside
// test/arch). The rules accept any folder prefix before `src/`, so each case's tree is checked on its own.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ICruiseResult, IViolation } from 'dependency-cruiser';

const REPO = path.resolve(import.meta.dirname, '../..');
// Run the CLI with this very Node (the bin's `#!/usr/bin/env node` could pick an older system node).
const DEPCRUISE_BIN = path.join(REPO, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');
const CONFIG = '.dependency-cruiser.cjs';
const FIXTURES_PREFIX = '.arch-fixtures-';
const FIXTURES = `test/${FIXTURES_PREFIX}${randomBytes(4).toString('hex')}`;

type Files = Record<string, string>;
/** [rule name, importing file, imported module] — files relative to the case's root, packages by name. */
type Expected = readonly [rule: string, from: string, to: string];

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function depcruise(args: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [DEPCRUISE_BIN, ...args, '--config', CONFIG],
      { cwd: REPO, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        // A non-zero exit is an answer (the number of errors), not a failure to run.
        if (error && typeof error.code !== 'number') reject(new Error('could not run depcruise', { cause: error }));
        else resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}

async function cruiseJson(target: string): Promise<ICruiseResult> {
  const { code, stdout, stderr } = await depcruise([target, '--output-type', 'json']);
  if (code !== 0) throw new Error(`depcruise failed (exit ${code}): ${stderr}`);
  return JSON.parse(stdout) as ICruiseResult;
}

/** Removes fixture trees an interrupted run left behind (an hour old: never one a parallel run still uses). */
async function removeStaleFixtures(): Promise<void> {
  const testDir = path.join(REPO, 'test');
  for (const entry of await readdir(testDir)) {
    if (!entry.startsWith(FIXTURES_PREFIX)) continue;
    const dir = path.join(testDir, entry);
    if (Date.now() - (await stat(dir)).mtimeMs > 3_600_000) await rm(dir, { recursive: true, force: true });
  }
}

async function writeTree(root: string, files: Files): Promise<void> {
  for (const [file, content] of Object.entries(files)) {
    const target = path.join(REPO, root, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

/** Violations of one case's tree, as [rule, from, to] relative to the case's root. */
function violationsUnder(result: ICruiseResult, root: string): Expected[] {
  const prefix = `${root}/`;
  const strip = (name: string): string => (name.startsWith(prefix) ? name.slice(prefix.length) : name);
  const target = (v: IViolation): string =>
    v.to.includes('node_modules/') && v.unresolvedTo ? v.unresolvedTo : strip(v.to);
  return result.summary.violations
    .filter((v) => v.from.startsWith(prefix))
    .map((v): Expected => [v.rule.name, strip(v.from), target(v)])
    .sort((a, b) => a.join(' ').localeCompare(b.join(' ')));
}

const sorted = (list: readonly Expected[]): Expected[] =>
  [...list].sort((a, b) => a.join(' ').localeCompare(b.join(' ')));
// ---------------------------------------------------------------------------------------------------------------
// A compliant tree, shaped as docs/ARCHITECTURE.md describes and written in the codebase's own style, because new
// contexts copy it: ports are abstract classes that double as DI tokens (no Symbol + @Inject), adapters extend
// them, and <context>.module.ts is the only place that binds one to the other. Context alpha has every layer:
// a command and a query slice, a non-repository port, an event handler reacting to beta's integration events,
// TypeORM entities whose mutual reference is broken by `import type`, a controller that maps its DTO to a
// command, contracts built on the shared integration-event type. Context beta is reached only through its
// contracts (a facade port implemented by its application). Around them: the shared kernel, config, platform
// folders (persistence, messaging, http, auth, rate-limit, runtime), the composition root, a migration using the
// schema helper, unit tests using test/support and devDependencies.
// ---------------------------------------------------------------------------------------------------------------
const A = 'src/modules/alpha';
const B = 'src/modules/beta';

const COMPLIANT: Files = {
  // shared kernel
  'src/shared/domain/domain-event.ts': `export abstract class DomainEvent { abstract readonly type: string; }\n`,
  'src/shared/domain/domain-error.ts': `export abstract class DomainError extends Error { abstract readonly code: number; }\n`,
  'src/shared/domain/aggregate-root.ts': `import type { DomainEvent } from './domain-event.js';
export abstract class AggregateRoot {
  private readonly recorded: DomainEvent[] = [];
  protected record(event: DomainEvent): void { this.recorded.push(event); }
}
`,
  'src/shared/application/clock.ts': `/** Port: time. */\nexport abstract class Clock { abstract now(): Date; }\n`,
  'src/shared/application/unit-of-work.ts': `export abstract class UnitOfWork { abstract run<T>(work: () => Promise<T>): Promise<T>; }\n`,
  'src/shared/application/integration-event.ts': `import { SetMetadata } from '@nestjs/common';
import type { DomainEvent } from '../domain/domain-event.js';
export interface IntegrationEvent<TPayload = Readonly<Record<string, unknown>>> {
  readonly id: string; readonly type: string; readonly payload: TPayload;
}
export interface IntegrationEventHandler<TEvent extends IntegrationEvent = IntegrationEvent> { handle(event: TEvent): Promise<void>; }
export const SubscribesTo = (type: string): ClassDecorator => SetMetadata('orderly:subscription', type);
export type FromDomain = (event: DomainEvent) => IntegrationEvent;
`,
  // configuration: a leaf
  'src/config/app-config.ts': `export abstract class AppConfig { abstract readonly database: { readonly slowQueryMs: number }; }\n`,
  'src/config/load-config.ts': `import { isIP } from 'node:net';
import ms from 'ms';
import { AppConfig } from './app-config.js';
export function loadConfig(): AppConfig { return { database: { slowQueryMs: ms('200ms') + isIP('') } }; }
`,
  // platform
  'src/platform/persistence/transaction-context.ts': `import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager } from 'typeorm';
export class TransactionContext { readonly storage = new AsyncLocalStorage<EntityManager>(); }
`,
  'src/platform/persistence/typeorm-unit-of-work.ts': `import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UnitOfWork } from '../../shared/application/unit-of-work.js';
import { TransactionContext } from './transaction-context.js';
@Injectable()
export class TypeOrmUnitOfWork extends UnitOfWork {
  constructor(private readonly dataSource: DataSource, private readonly context: TransactionContext) { super(); }
  run<T>(work: () => Promise<T>): Promise<T> { return this.dataSource.transaction((m) => this.context.storage.run(m, work)); }
}
`,
  'src/platform/persistence/migration-table-options.ts': `import type { QueryRunner } from 'typeorm';
export const tableOptions = (queryRunner: QueryRunner): string => (queryRunner.connection.options.type === 'mysql' ? 'utf8mb4' : '');
`,
  'src/platform/persistence/data-source-options.ts': `import { migrations } from '../../../migrations/index.js';
import type { AppConfig } from '../../config/app-config.js';
export const dataSourceOptions = (config: AppConfig) => ({ migrations, maxQueryExecutionTime: config.database.slowQueryMs });
`,
  'src/platform/messaging/outbox-relay.ts': `import { Injectable } from '@nestjs/common';
import type { IntegrationEvent } from '../../shared/application/integration-event.js';
import { TypeOrmUnitOfWork } from '../persistence/typeorm-unit-of-work.js';
@Injectable()
export class OutboxRelay { constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {} dispatch(event: IntegrationEvent): void { void event; } }
`,
  'src/platform/runtime/system-clock.ts': `import { Injectable } from '@nestjs/common';
import { Clock } from '../../shared/application/clock.js';
@Injectable()
export class SystemClock extends Clock { now(): Date { return new Date(); } }
`,
  'src/platform/http/api-errors.decorator.ts': `import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
export const ApiErrors = (...codes: number[]) => applyDecorators(ApiResponse({ status: 400, description: codes.join(', ') }));
`,
  'src/platform/auth/auth.decorators.ts': `import { SetMetadata } from '@nestjs/common';
export const Roles = (...roles: string[]) => SetMetadata('roles', roles);
`,
  'src/platform/rate-limit/auth-rate-limit.decorator.ts': `import { SetMetadata } from '@nestjs/common';
export const AuthRateLimit = () => SetMetadata('auth-rate-limit', true);
`,
  // alpha: domain
  [`${A}/domain/quantity.value-object.ts`]: `export class Quantity {
  static readonly MAX = 99;
  private constructor(readonly value: number) {}
  static of(value: number): Quantity { return new Quantity(value); }
}
`,
  [`${A}/domain/order-status.ts`]: `export const ORDER_STATUSES = ['pending', 'paid'] as const;\nexport type OrderStatus = (typeof ORDER_STATUSES)[number];\n`,
  [`${A}/domain/order.errors.ts`]: `import { DomainError } from '../../../shared/domain/domain-error.js';
export class OutOfStockError extends DomainError { readonly code = 42220; }
`,
  [`${A}/domain/order.events.ts`]: `import { DomainEvent } from '../../../shared/domain/domain-event.js';
export class OrderPlaced extends DomainEvent { readonly type = 'alpha.order_placed'; constructor(readonly orderId: string) { super(); } }
`,
  [`${A}/domain/order.aggregate.ts`]: `import { AggregateRoot } from '../../../shared/domain/aggregate-root.js';
import { OrderPlaced } from './order.events.js';
import type { OrderStatus } from './order-status.js';
import { Quantity } from './quantity.value-object.js';
export class Order extends AggregateRoot {
  private constructor(readonly id: string, readonly qty: Quantity, readonly status: OrderStatus) { super(); }
  static place(id: string, qty: number): Order { const order = new Order(id, Quantity.of(qty), 'pending'); order.record(new OrderPlaced(id)); return order; }
}
`,
  [`${A}/domain/order.repository.ts`]: `import type { Order } from './order.aggregate.js';
/** Port: how the application loads and stores orders. Implemented in infrastructure/persistence. */
export abstract class OrderRepository {
  abstract findById(id: string): Promise<Order | undefined>;
  abstract save(order: Order): Promise<void>;
}
`,
  [`${A}/domain/order.aggregate.spec.ts`]: `import fc from 'fast-check';
import { Order } from './order.aggregate.js';
export const property = fc.property(fc.integer({ min: 1, max: 99 }), (qty) => Order.place('o-1', qty).qty.value === qty);
`,
  // alpha: application
  [`${A}/application/ports/stock-checker.ts`]: `/** Port: is the stock there? Implemented with beta's facade in infrastructure. */
export abstract class StockChecker { abstract isAvailable(sku: string, qty: number): Promise<boolean>; }
`,
  [`${A}/application/ports/order-read-model.ts`]: `import type { OrderStatus } from '../../domain/order-status.js';
export interface OrderView { readonly id: string; readonly status: OrderStatus; }
export abstract class OrderReadModel { abstract findById(id: string): Promise<OrderView | undefined>; }
`,
  [`${A}/application/commands/place-order/place-order.command.ts`]: `export class PlaceOrderCommand { constructor(readonly sku: string, readonly qty: number) {} }\n`,
  [`${A}/application/commands/place-order/place-order.handler.ts`]: `import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../../../../shared/application/clock.js';
import { OutOfStockError } from '../../../domain/order.errors.js';
import { Order } from '../../../domain/order.aggregate.js';
import { OrderRepository } from '../../../domain/order.repository.js';
import { StockChecker } from '../../ports/stock-checker.js';
import { PlaceOrderCommand } from './place-order.command.js';
@CommandHandler(PlaceOrderCommand)
export class PlaceOrderHandler implements ICommandHandler<PlaceOrderCommand> {
  constructor(private readonly orders: OrderRepository, private readonly stock: StockChecker, private readonly clock: Clock) {}
  async execute(command: PlaceOrderCommand): Promise<string> {
    if (!(await this.stock.isAvailable(command.sku, command.qty))) throw new OutOfStockError();
    const order = Order.place(String(this.clock.now().getTime()), command.qty);
    await this.orders.save(order);
    return order.id;
  }
}
`,
  [`${A}/application/commands/place-order/place-order.handler.spec.ts`]: `import { describe, it } from 'vitest';
import { InMemoryOrderRepository } from '../../../../../../test/support/fakes/in-memory-order.repository.js';
import { PlaceOrderHandler } from './place-order.handler.js';
describe('PlaceOrderHandler', () => { it('exists', () => { void InMemoryOrderRepository; void PlaceOrderHandler; }); });
`,
  [`${A}/application/queries/get-order/get-order.query.ts`]: `export class GetOrderQuery { constructor(readonly id: string) {} }\n`,
  [`${A}/application/queries/get-order/get-order.handler.ts`]: `import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { OrderReadModel, type OrderView } from '../../ports/order-read-model.js';
import { GetOrderQuery } from './get-order.query.js';
@QueryHandler(GetOrderQuery)
export class GetOrderHandler implements IQueryHandler<GetOrderQuery> {
  constructor(private readonly orders: OrderReadModel) {}
  execute(query: GetOrderQuery): Promise<OrderView | undefined> { return this.orders.findById(query.id); }
}
`,
  [`${A}/application/event-handlers/on-stock-reserved.handler.ts`]: `import { Injectable } from '@nestjs/common';
import { SubscribesTo, type IntegrationEventHandler } from '../../../../shared/application/integration-event.js';
import { BETA_EVENT_TYPES, type StockReservedIntegrationEvent } from '../../../beta/contracts/index.js';
import { OrderRepository } from '../../domain/order.repository.js';
@Injectable()
@SubscribesTo(BETA_EVENT_TYPES.stockReserved)
export class OnStockReservedHandler implements IntegrationEventHandler<StockReservedIntegrationEvent> {
  constructor(private readonly orders: OrderRepository) {}
  async handle(event: StockReservedIntegrationEvent): Promise<void> { await this.orders.findById(event.payload.orderId); }
}
`,
  // alpha: infrastructure
  [`${A}/infrastructure/persistence/order.orm-entity.ts`]: `import { Column, Entity, OneToMany, PrimaryColumn, type Relation } from 'typeorm';
import type { OrderLineOrmEntity } from './order-line.orm-entity.js';
@Entity('orders')
export class OrderOrmEntity {
  @PrimaryColumn() id: string;
  @Column() status: string;
  @OneToMany('OrderLineOrmEntity', 'order') lines: Relation<OrderLineOrmEntity>[];
}
`,
  [`${A}/infrastructure/persistence/order-line.orm-entity.ts`]: `import { Entity, ManyToOne, type Relation } from 'typeorm';
import { OrderOrmEntity } from './order.orm-entity.js';
@Entity('order_lines')
export class OrderLineOrmEntity { @ManyToOne(() => OrderOrmEntity) order: Relation<OrderOrmEntity>; }
`,
  [`${A}/infrastructure/persistence/order.mapper.ts`]: `import { Order } from '../../domain/order.aggregate.js';
import { OrderOrmEntity } from './order.orm-entity.js';
export const OrderMapper = {
  toRow(order: Order): OrderOrmEntity { return Object.assign(new OrderOrmEntity(), { id: order.id, status: order.status }); },
  toDomain(row: OrderOrmEntity): Order { return Order.place(row.id, 1); },
};
`,
  [`${A}/infrastructure/persistence/typeorm-order.repository.ts`]: `import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../../config/app-config.js';
import { TransactionContext } from '../../../../platform/persistence/transaction-context.js';
import type { Order } from '../../domain/order.aggregate.js';
import { OrderRepository } from '../../domain/order.repository.js';
import { OrderMapper } from './order.mapper.js';
@Injectable()
export class TypeOrmOrderRepository extends OrderRepository {
  constructor(private readonly context: TransactionContext, private readonly config: AppConfig) { super(); }
  findById(id: string): Promise<Order | undefined> { void id; return Promise.resolve(undefined); }
  async save(order: Order): Promise<void> { void OrderMapper.toRow(order); }
}
`,
  [`${A}/infrastructure/persistence/typeorm-order.read-model.ts`]: `import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OrderReadModel, type OrderView } from '../../application/ports/order-read-model.js';
import { OrderOrmEntity } from './order.orm-entity.js';
@Injectable()
export class TypeOrmOrderReadModel extends OrderReadModel {
  constructor(private readonly dataSource: DataSource) { super(); }
  async findById(id: string): Promise<OrderView | undefined> {
    const row = await this.dataSource.getRepository(OrderOrmEntity).findOneBy({ id });
    return row === null ? undefined : { id: row.id, status: row.status as OrderView['status'] };
  }
}
`,
  [`${A}/infrastructure/stock/beta-stock-checker.ts`]: `import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { BetaFacade } from '../../../beta/contracts/index.js';
import { StockChecker } from '../../application/ports/stock-checker.js';
@Injectable()
export class BetaStockChecker extends StockChecker {
  constructor(private readonly beta: BetaFacade) { super(); }
  isAvailable(sku: string, qty: number): Promise<boolean> { void createHash('sha256'); return this.beta.reserve(sku, qty); }
}
`,
  // alpha: interface
  [`${A}/interface/http/dto/place-order.request.ts`]: `import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, Min } from 'class-validator';
import { Quantity } from '../../../domain/quantity.value-object.js';
export class PlaceOrderRequest {
  @ApiProperty() @IsString() sku: string;
  @ApiProperty({ maximum: Quantity.MAX }) @Type(() => Number) @IsInt() @Min(1) @Max(Quantity.MAX) qty: number;
}
`,
  [`${A}/interface/http/dto/order.response.ts`]: `import { ApiProperty } from '@nestjs/swagger';
import { ORDER_STATUSES, type OrderStatus } from '../../../domain/order-status.js';
export class OrderResponse { @ApiProperty() id: string; @ApiProperty({ enum: ORDER_STATUSES }) status: OrderStatus; }
`,
  [`${A}/interface/http/orders.controller.ts`]: `import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../../../platform/auth/auth.decorators.js';
import { ApiErrors } from '../../../../platform/http/api-errors.decorator.js';
import { AuthRateLimit } from '../../../../platform/rate-limit/auth-rate-limit.decorator.js';
import { PlaceOrderCommand } from '../../application/commands/place-order/place-order.command.js';
import { GetOrderQuery } from '../../application/queries/get-order/get-order.query.js';
import { OutOfStockError } from '../../domain/order.errors.js';
import { OrderResponse } from './dto/order.response.js';
import { PlaceOrderRequest } from './dto/place-order.request.js';
@Controller('orders')
export class OrdersController {
  constructor(private readonly commandBus: CommandBus, private readonly queryBus: QueryBus) {}
  @Post() @Roles('customer') @AuthRateLimit() @ApiErrors(new OutOfStockError().code)
  place(@Body() body: PlaceOrderRequest): Promise<string> { return this.commandBus.execute(new PlaceOrderCommand(body.sku, body.qty)); }
  @Get(':id') get(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<OrderResponse> {
    void reply; return this.queryBus.execute(new GetOrderQuery(id));
  }
}
`,
  // alpha: contracts
  [`${A}/contracts/alpha.integration-events.ts`]: `import type { IntegrationEvent } from '../../../shared/application/integration-event.js';
export const ALPHA_EVENT_TYPES = { orderPlaced: 'alpha.order_placed' } as const;
export interface OrderPlacedPayload { readonly orderId: string; }
export type OrderPlacedIntegrationEvent = IntegrationEvent<OrderPlacedPayload>;
`,
  [`${A}/contracts/index.ts`]: `export { ALPHA_EVENT_TYPES, type OrderPlacedIntegrationEvent, type OrderPlacedPayload } from './alpha.integration-events.js';\n`,
  [`${A}/alpha.module.ts`]: `import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config.js';
import { PlaceOrderHandler } from './application/commands/place-order/place-order.handler.js';
import { OnStockReservedHandler } from './application/event-handlers/on-stock-reserved.handler.js';
import { OrderReadModel } from './application/ports/order-read-model.js';
import { StockChecker } from './application/ports/stock-checker.js';
import { GetOrderHandler } from './application/queries/get-order/get-order.handler.js';
import { OrderRepository } from './domain/order.repository.js';
import { OrderLineOrmEntity } from './infrastructure/persistence/order-line.orm-entity.js';
import { OrderOrmEntity } from './infrastructure/persistence/order.orm-entity.js';
import { TypeOrmOrderReadModel } from './infrastructure/persistence/typeorm-order.read-model.js';
import { TypeOrmOrderRepository } from './infrastructure/persistence/typeorm-order.repository.js';
import { BetaStockChecker } from './infrastructure/stock/beta-stock-checker.js';
import { OrdersController } from './interface/http/orders.controller.js';
/** The alpha context: the only place where its ports meet their adapters. */
@Module({
  imports: [TypeOrmModule.forFeature([OrderOrmEntity, OrderLineOrmEntity])],
  controllers: [OrdersController],
  providers: [
    PlaceOrderHandler,
    GetOrderHandler,
    OnStockReservedHandler,
    { provide: OrderRepository, useClass: TypeOrmOrderRepository },
    { provide: OrderReadModel, useClass: TypeOrmOrderReadModel },
    { provide: StockChecker, useClass: BetaStockChecker },
  ],
})
export class AlphaModule { constructor(readonly config: AppConfig) {} }
`,
  // beta: reached only through its contracts
  [`${B}/contracts/beta.facade.ts`]: `/** Port other contexts call synchronously; beta's application implements it. */
export abstract class BetaFacade { abstract reserve(sku: string, qty: number): Promise<boolean>; }
`,
  [`${B}/contracts/beta.integration-events.ts`]: `import type { IntegrationEvent } from '../../../shared/application/integration-event.js';
export const BETA_EVENT_TYPES = { stockReserved: 'beta.stock_reserved' } as const;
export type StockReservedIntegrationEvent = IntegrationEvent<{ readonly orderId: string; readonly sku: string }>;
`,
  [`${B}/contracts/index.ts`]: `export { BetaFacade } from './beta.facade.js';
export { BETA_EVENT_TYPES, type StockReservedIntegrationEvent } from './beta.integration-events.js';
`,
  [`${B}/application/beta-facade.service.ts`]: `import { Injectable } from '@nestjs/common';
import { BetaFacade } from '../contracts/beta.facade.js';
@Injectable()
export class BetaFacadeService extends BetaFacade { reserve(sku: string, qty: number): Promise<boolean> { return Promise.resolve(sku !== '' && qty > 0); } }
`,
  [`${B}/beta.module.ts`]: `import { Module } from '@nestjs/common';
import { BetaFacadeService } from './application/beta-facade.service.js';
import { BetaFacade } from './contracts/beta.facade.js';
@Module({ providers: [{ provide: BetaFacade, useClass: BetaFacadeService }], exports: [BetaFacade] })
export class BetaModule {}
`,
  // composition root
  'src/app.module.ts': `import { Module } from '@nestjs/common';
import { AlphaModule } from './modules/alpha/alpha.module.js';
import { BetaModule } from './modules/beta/beta.module.js';
import { OutboxRelay } from './platform/messaging/outbox-relay.js';
import { SystemClock } from './platform/runtime/system-clock.js';
@Module({ imports: [AlphaModule, BetaModule], providers: [OutboxRelay, SystemClock] })
export class AppModule {}
`,
  'src/main.ts': `import { AppModule } from './app.module.js';
import { loadConfig } from './config/load-config.js';
import { dataSourceOptions } from './platform/persistence/data-source-options.js';
export const started = [AppModule, dataSourceOptions(loadConfig())];
`,
  // migrations
  'migrations/1700000000000-create-orders.ts': `import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { tableOptions } from '../src/platform/persistence/migration-table-options.js';
export class CreateOrders1700000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> { await queryRunner.createTable(new Table({ name: 'orders', columns: [], engine: tableOptions(queryRunner) })); }
  async down(queryRunner: QueryRunner): Promise<void> { await queryRunner.dropTable('orders'); }
}
`,
  'migrations/index.ts': `import type { MigrationInterface } from 'typeorm';
import { CreateOrders1700000000000 } from './1700000000000-create-orders.js';
export const migrations: Array<new () => MigrationInterface> = [CreateOrders1700000000000];
`,
  // test support used by unit tests beside the code
  'test/support/fakes/in-memory-order.repository.ts': `import type { Order } from '../../../src/modules/alpha/domain/order.aggregate.js';
import { OrderRepository } from '../../../src/modules/alpha/domain/order.repository.js';
export class InMemoryOrderRepository extends OrderRepository {
  private readonly rows = new Map<string, Order>();
  findById(id: string): Promise<Order | undefined> { return Promise.resolve(this.rows.get(id)); }
  save(order: Order): Promise<void> { this.rows.set(order.id, order); return Promise.resolve(); }
}
`,
};

interface Case {
  title: string;
  files: Files;
  expected: readonly Expected[];
}

const HANDLER = `${A}/application/place-order.handler.ts`;
const CONTROLLER = `${A}/interface/http/orders.controller.ts`;
const empty = (name: string): string => `export class ${name} {}\n`;

// Violating trees. Each lists *every* violation it must produce — an extra or a missing one fails the case.
const CASES: Record<string, Case> = {
  'domain-imports-nestjs': {
    title: 'domain-allow-list: a domain file importing @nestjs/common',
    files: {
      [`${A}/domain/order.aggregate.ts`]: `import { Injectable } from '@nestjs/common';\n@Injectable()\nexport class Order {}\n`,
    },
    expected: [['domain-allow-list', `${A}/domain/order.aggregate.ts`, '@nestjs/common']],
  },
  'domain-imports-typeorm-type': {
    title: 'domain-allow-list: a domain file importing typeorm, even as `import type`',
    files: {
      [`${A}/domain/order.repository.ts`]: `import type { Repository } from 'typeorm';\nexport type OrderRepository = Repository<object>;\n`,
    },
    expected: [['domain-allow-list', `${A}/domain/order.repository.ts`, 'typeorm']],
  },
  'shared-domain-imports-builtin-and-application': {
    title: 'domain-allow-list: shared/domain importing node:crypto and shared/application',
    files: {
      'src/shared/domain/id.ts': `import { randomUUID } from 'node:crypto';\nimport { Clock } from '../application/clock.js';\nexport const newId = (): string => randomUUID() + String(Clock);\n`,
      'src/shared/application/clock.ts': empty('Clock'),
    },
    expected: [
      ['domain-allow-list', 'src/shared/domain/id.ts', 'crypto'],
      ['domain-allow-list', 'src/shared/domain/id.ts', 'src/shared/application/clock.ts'],
    ],
  },
  'domain-imports-other-context-domain': {
    title: "domain-allow-list + contexts-talk-through-contracts: alpha's domain importing beta's domain",
    files: {
      [`${A}/domain/order.aggregate.ts`]: `import { Sku } from '../../beta/domain/x.js';\nexport class Order { sku?: Sku; }\n`,
      [`${B}/domain/x.ts`]: empty('Sku'),
    },
    expected: [
      ['domain-allow-list', `${A}/domain/order.aggregate.ts`, `${B}/domain/x.ts`],
      ['contexts-talk-through-contracts', `${A}/domain/order.aggregate.ts`, `${B}/domain/x.ts`],
    ],
  },
  'shared-application-imports-outside': {
    title: 'shared-application-allow-list: platform, config, a context, typeorm, @nestjs/core, a builtin',
    files: {
      'src/shared/application/unit-of-work.ts': `import { AsyncLocalStorage } from 'node:async_hooks';
import { ModuleRef } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { OrderPlaced } from '../../modules/alpha/contracts/index.js';
import { TransactionContext } from '../../platform/persistence/transaction-context.js';
export abstract class UnitOfWork { deps = [AsyncLocalStorage, ModuleRef, AppConfig, OrderPlaced, TransactionContext]; m?: EntityManager; }
`,
      'src/config/app-config.ts': empty('AppConfig'),
      [`${A}/contracts/index.ts`]: empty('OrderPlaced'),
      'src/platform/persistence/transaction-context.ts': empty('TransactionContext'),
    },
    expected: [
      ['shared-application-allow-list', 'src/shared/application/unit-of-work.ts', 'async_hooks'],
      ['shared-application-allow-list', 'src/shared/application/unit-of-work.ts', '@nestjs/core'],
      ['shared-application-allow-list', 'src/shared/application/unit-of-work.ts', 'typeorm'],
      ['shared-application-allow-list', 'src/shared/application/unit-of-work.ts', 'src/config/app-config.ts'],
      ['shared-application-allow-list', 'src/shared/application/unit-of-work.ts', `${A}/contracts/index.ts`],
      [
        'shared-application-allow-list',
        'src/shared/application/unit-of-work.ts',
        'src/platform/persistence/transaction-context.ts',
      ],
    ],
  },
  'application-imports-outside': {
    title: 'application-allow-list: adapters, module file, platform, config, packages beyond Nest DI/CQRS, builtins',
    files: {
      [HANDLER]: `import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CommandHandler } from '@nestjs/cqrs';
import { IsInt } from 'class-validator';
import { Repository } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { TypeOrmUnitOfWork } from '../../../platform/persistence/typeorm-unit-of-work.js';
import { AlphaModule } from '../alpha.module.js';
import { TypeOrmOrderRepository } from '../infrastructure/typeorm-order.repository.js';
import { PlaceOrderRequest } from '../interface/http/place-order.request.js';
@Injectable() @CommandHandler(Object)
export class PlaceOrderHandler { deps = [createHash, ModuleRef, IsInt, Repository, AppConfig, TypeOrmUnitOfWork, AlphaModule, TypeOrmOrderRepository, PlaceOrderRequest]; }
`,
      'src/config/app-config.ts': empty('AppConfig'),
      'src/platform/persistence/typeorm-unit-of-work.ts': empty('TypeOrmUnitOfWork'),
      [`${A}/alpha.module.ts`]: empty('AlphaModule'),
      [`${A}/infrastructure/typeorm-order.repository.ts`]: empty('TypeOrmOrderRepository'),
      [`${A}/interface/http/place-order.request.ts`]: empty('PlaceOrderRequest'),
    },
    expected: [
      ['application-allow-list', HANDLER, 'crypto'],
      ['application-allow-list', HANDLER, '@nestjs/core'],
      ['application-allow-list', HANDLER, 'class-validator'],
      ['application-allow-list', HANDLER, 'typeorm'],
      ['application-allow-list', HANDLER, 'src/config/app-config.ts'],
      ['application-allow-list', HANDLER, 'src/platform/persistence/typeorm-unit-of-work.ts'],
      ['application-allow-list', HANDLER, `${A}/alpha.module.ts`],
      ['application-allow-list', HANDLER, `${A}/infrastructure/typeorm-order.repository.ts`],
      ['application-allow-list', HANDLER, `${A}/interface/http/place-order.request.ts`],
    ],
  },
  'interface-imports-outside': {
    title:
      'interface-allow-list + interface-not-to-infrastructure: aggregates, repository ports, infrastructure, ' +
      'platform persistence/redis, config, packages off the HTTP edge, builtins (domain vocabulary is fine)',
    files: {
      [CONTROLLER]: `import { randomUUID } from 'node:crypto';
import { Controller } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../../config/app-config.js';
import { TransactionContext } from '../../../../platform/persistence/transaction-context.js';
import { RedisConnection } from '../../../../platform/redis/redis.module.js';
import { Order } from '../../domain/order.aggregate.js';
import { ORDER_STATUSES } from '../../domain/order-status.js';
import { OrderRepository } from '../../domain/order.repository.js';
import { TypeOrmOrderRepository } from '../../infrastructure/persistence/typeorm-order.repository.js';
@Controller('orders')
export class OrdersController { deps = [randomUUID, ModuleRef, Redis, DataSource, AppConfig, TransactionContext, RedisConnection, Order, ORDER_STATUSES, OrderRepository, TypeOrmOrderRepository]; }
`,
      'src/config/app-config.ts': empty('AppConfig'),
      'src/platform/persistence/transaction-context.ts': empty('TransactionContext'),
      'src/platform/redis/redis.module.ts': empty('RedisConnection'),
      [`${A}/domain/order.aggregate.ts`]: empty('Order'),
      [`${A}/domain/order-status.ts`]: `export const ORDER_STATUSES = ['pending'] as const;\n`,
      [`${A}/domain/order.repository.ts`]: empty('OrderRepository'),
      [`${A}/infrastructure/persistence/typeorm-order.repository.ts`]: empty('TypeOrmOrderRepository'),
    },
    expected: [
      ['interface-allow-list', CONTROLLER, 'crypto'],
      ['interface-allow-list', CONTROLLER, '@nestjs/core'],
      ['interface-allow-list', CONTROLLER, 'ioredis'],
      ['interface-allow-list', CONTROLLER, 'typeorm'],
      ['interface-allow-list', CONTROLLER, 'src/config/app-config.ts'],
      ['interface-allow-list', CONTROLLER, 'src/platform/persistence/transaction-context.ts'],
      ['interface-allow-list', CONTROLLER, 'src/platform/redis/redis.module.ts'],
      ['interface-allow-list', CONTROLLER, `${A}/domain/order.aggregate.ts`],
      ['interface-allow-list', CONTROLLER, `${A}/domain/order.repository.ts`],
      ['interface-allow-list', CONTROLLER, `${A}/infrastructure/persistence/typeorm-order.repository.ts`],
      ['interface-not-to-infrastructure', CONTROLLER, `${A}/infrastructure/persistence/typeorm-order.repository.ts`],
    ],
  },
  'infrastructure-imports-outside': {
    title: 'infrastructure-allow-list: its own interface, its module file and the composition root',
    files: {
      [`${A}/infrastructure/persistence/typeorm-order.repository.ts`]: `import { AppModule } from '../../../../app.module.js';
import { AlphaModule } from '../../alpha.module.js';
import { OrderResponse } from '../../interface/http/dto/order.response.js';
export class TypeOrmOrderRepository { deps = [AppModule, AlphaModule, OrderResponse]; }
`,
      'src/app.module.ts': empty('AppModule'),
      [`${A}/alpha.module.ts`]: empty('AlphaModule'),
      [`${A}/interface/http/dto/order.response.ts`]: empty('OrderResponse'),
    },
    expected: [
      ['infrastructure-allow-list', `${A}/infrastructure/persistence/typeorm-order.repository.ts`, 'src/app.module.ts'],
      [
        'infrastructure-allow-list',
        `${A}/infrastructure/persistence/typeorm-order.repository.ts`,
        `${A}/alpha.module.ts`,
      ],
      [
        'infrastructure-allow-list',
        `${A}/infrastructure/persistence/typeorm-order.repository.ts`,
        `${A}/interface/http/dto/order.response.ts`,
      ],
    ],
  },
  'contracts-import-outside': {
    title: "contracts-allow-list: own domain/application/infrastructure/module, another context's contracts, packages",
    files: {
      [`${A}/contracts/index.ts`]: `import { createHash } from 'node:crypto';
import { IsString } from 'class-validator';
import { DomainEvent } from '../../../shared/domain/domain-event.js';
import type { IntegrationEvent } from '../../../shared/application/integration-event.js';
import { StockReserved } from '../../beta/contracts/index.js';
import { AlphaModule } from '../alpha.module.js';
import { PlaceOrderCommand } from '../application/place-order.command.js';
import { OrderStatus } from '../domain/order-status.js';
import { OrderOrmEntity } from '../infrastructure/order.orm-entity.js';
import { OrderPlaced } from './alpha.integration-events.js';
export const all = [createHash, IsString, DomainEvent, StockReserved, AlphaModule, PlaceOrderCommand, OrderStatus, OrderOrmEntity, OrderPlaced];
export type E = IntegrationEvent;
`,
      'src/shared/domain/domain-event.ts': empty('DomainEvent'),
      'src/shared/application/integration-event.ts': `export interface IntegrationEvent { readonly id: string; }\n`,
      [`${B}/contracts/index.ts`]: empty('StockReserved'),
      [`${A}/alpha.module.ts`]: empty('AlphaModule'),
      [`${A}/application/place-order.command.ts`]: empty('PlaceOrderCommand'),
      [`${A}/domain/order-status.ts`]: empty('OrderStatus'),
      [`${A}/infrastructure/order.orm-entity.ts`]: empty('OrderOrmEntity'),
      [`${A}/contracts/alpha.integration-events.ts`]: empty('OrderPlaced'),
    },
    expected: [
      ['contracts-allow-list', `${A}/contracts/index.ts`, 'crypto'],
      ['contracts-allow-list', `${A}/contracts/index.ts`, 'class-validator'],
      ['contracts-allow-list', `${A}/contracts/index.ts`, `${B}/contracts/index.ts`],
      ['contracts-allow-list', `${A}/contracts/index.ts`, `${A}/alpha.module.ts`],
      ['contracts-allow-list', `${A}/contracts/index.ts`, `${A}/application/place-order.command.ts`],
      ['contracts-allow-list', `${A}/contracts/index.ts`, `${A}/domain/order-status.ts`],
      ['contracts-allow-list', `${A}/contracts/index.ts`, `${A}/infrastructure/order.orm-entity.ts`],
    ],
  },
  'module-file-imports-outside': {
    title: 'module-file-allow-list: the composition root and test code (builtins and platform are fine)',
    files: {
      [`${A}/alpha.module.ts`]: `import { join } from 'node:path';
import { AppModule } from '../../app.module.js';
import { createApp } from '../../bootstrap.js';
import { SystemClock } from '../../platform/runtime/system-clock.js';
import { anOrder } from '../../../test/support/builders.js';
export class AlphaModule { deps = [join, AppModule, createApp, SystemClock, anOrder]; }
`,
      'src/app.module.ts': empty('AppModule'),
      'src/bootstrap.ts': `export const createApp = (): void => undefined;\n`,
      'src/platform/runtime/system-clock.ts': empty('SystemClock'),
      'test/support/builders.ts': `export const anOrder = { qty: 1 };\n`,
    },
    expected: [
      ['module-file-allow-list', `${A}/alpha.module.ts`, 'src/app.module.ts'],
      ['module-file-allow-list', `${A}/alpha.module.ts`, 'src/bootstrap.ts'],
      ['module-file-allow-list', `${A}/alpha.module.ts`, 'test/support/builders.ts'],
      ['not-to-test', `${A}/alpha.module.ts`, 'test/support/builders.ts'],
    ],
  },
  'context-imports-other-context-internals': {
    title: "contexts-talk-through-contracts: beta's layers and module are private to every alpha layer",
    files: {
      [HANDLER]: `import { GetStockHandler } from '../../beta/application/get-stock.handler.js';
import { BetaFacade } from '../../beta/contracts/index.js';
export class PlaceOrderHandler { deps = [GetStockHandler, BetaFacade]; }
`,
      [`${A}/infrastructure/stock.client.ts`]: `import { StockOrmEntity } from '../../beta/infrastructure/stock.orm-entity.js';\nexport class StockClient { e = StockOrmEntity; }\n`,
      [`${A}/interface/http/stock.controller.ts`]: `import { Sku } from '../../../beta/domain/sku.value-object.js';\nexport class StockController { s = Sku; }\n`,
      [`${A}/alpha.module.ts`]: `import { BetaModule } from '../beta/beta.module.js';\nexport class AlphaModule { m = BetaModule; }\n`,
      [`${B}/application/get-stock.handler.ts`]: empty('GetStockHandler'),
      [`${B}/infrastructure/stock.orm-entity.ts`]: empty('StockOrmEntity'),
      [`${B}/domain/sku.value-object.ts`]: empty('Sku'),
      [`${B}/contracts/index.ts`]: empty('BetaFacade'),
      [`${B}/beta.module.ts`]: empty('BetaModule'),
    },
    expected: [
      ['contexts-talk-through-contracts', HANDLER, `${B}/application/get-stock.handler.ts`],
      ['application-allow-list', HANDLER, `${B}/application/get-stock.handler.ts`],
      [
        'contexts-talk-through-contracts',
        `${A}/infrastructure/stock.client.ts`,
        `${B}/infrastructure/stock.orm-entity.ts`,
      ],
      ['infrastructure-allow-list', `${A}/infrastructure/stock.client.ts`, `${B}/infrastructure/stock.orm-entity.ts`],
      ['contexts-talk-through-contracts', `${A}/interface/http/stock.controller.ts`, `${B}/domain/sku.value-object.ts`],
      ['interface-allow-list', `${A}/interface/http/stock.controller.ts`, `${B}/domain/sku.value-object.ts`],
      ['contexts-talk-through-contracts', `${A}/alpha.module.ts`, `${B}/beta.module.ts`],
      ['module-file-allow-list', `${A}/alpha.module.ts`, `${B}/beta.module.ts`],
    ],
  },
  'context-file-outside-layers': {
    title: 'context-files-belong-to-a-layer: a helpers/ folder and a loose file beside the module',
    files: {
      [`${A}/helpers/format.ts`]: `import { createHash } from 'node:crypto';\nexport const format = (s: string): string => createHash('md5').update(s).digest('hex');\n`,
      [`${A}/alpha.constants.ts`]: `export const ALPHA = 'alpha';\n`,
      [HANDLER]: `import { format } from '../helpers/format.js';\nexport const h = format;\n`,
      [`${A}/alpha.module.ts`]: `import { ALPHA } from './alpha.constants.js';\nimport { format } from './helpers/format.js';\nexport const m = [ALPHA, format];\n`,
    },
    expected: [
      ['context-files-belong-to-a-layer', HANDLER, `${A}/helpers/format.ts`],
      ['application-allow-list', HANDLER, `${A}/helpers/format.ts`],
      ['context-files-belong-to-a-layer', `${A}/alpha.module.ts`, `${A}/alpha.constants.ts`],
      ['context-files-belong-to-a-layer', `${A}/alpha.module.ts`, `${A}/helpers/format.ts`],
    ],
  },
  'platform-imports-outside': {
    title: 'platform-allow-list: a context (even its contracts) and the composition root',
    files: {
      'src/platform/http/exception.filter.ts': `import { OutOfStockError } from '../../modules/alpha/domain/order.errors.js';\nexport const mapped = [OutOfStockError];\n`,
      'src/platform/messaging/relay.ts': `import { AppModule } from '../../app.module.js';\nimport { OrderPlaced } from '../../modules/alpha/contracts/index.js';\nexport const r = [AppModule, OrderPlaced];\n`,
      [`${A}/domain/order.errors.ts`]: empty('OutOfStockError'),
      [`${A}/contracts/index.ts`]: empty('OrderPlaced'),
      'src/app.module.ts': empty('AppModule'),
    },
    expected: [
      ['platform-allow-list', 'src/platform/http/exception.filter.ts', `${A}/domain/order.errors.ts`],
      ['platform-allow-list', 'src/platform/messaging/relay.ts', 'src/app.module.ts'],
      ['platform-allow-list', 'src/platform/messaging/relay.ts', `${A}/contracts/index.ts`],
    ],
  },
  'config-imports-outside': {
    title: 'config-allow-list: the platform, the kernel and a context',
    files: {
      'src/config/load-config.ts': `import { isIP } from 'node:net';
import ms from 'ms';
import { Money } from '../shared/domain/money.js';
import { OrderPlaced } from '../modules/alpha/contracts/index.js';
import { RedisConnection } from '../platform/redis/redis.module.js';
export const deps = [isIP, ms, Money, OrderPlaced, RedisConnection];
`,
      'src/shared/domain/money.ts': empty('Money'),
      [`${A}/contracts/index.ts`]: empty('OrderPlaced'),
      'src/platform/redis/redis.module.ts': empty('RedisConnection'),
    },
    expected: [
      ['config-allow-list', 'src/config/load-config.ts', 'src/shared/domain/money.ts'],
      ['config-allow-list', 'src/config/load-config.ts', `${A}/contracts/index.ts`],
      ['config-allow-list', 'src/config/load-config.ts', 'src/platform/redis/redis.module.ts'],
    ],
  },
  'migration-imports-outside': {
    title: 'migrations-allow-list: ORM entities, domain enums, config, platform code other than the schema helpers',
    files: {
      'migrations/1700000000000-create-orders.ts': `import { randomUUID } from 'node:crypto';
import { IsString } from 'class-validator';
import type { MigrationInterface } from 'typeorm';
import { AppConfig } from '../src/config/app-config.js';
import { ORDER_STATUSES } from '../src/modules/alpha/domain/order-status.js';
import { OrderOrmEntity } from '../src/modules/alpha/infrastructure/persistence/order.orm-entity.js';
import { tableOptions } from '../src/platform/persistence/migration-table-options.js';
import { TypeOrmUnitOfWork } from '../src/platform/persistence/typeorm-unit-of-work.js';
export const deps = [randomUUID, IsString, AppConfig, ORDER_STATUSES, OrderOrmEntity, tableOptions, TypeOrmUnitOfWork];
export type M = MigrationInterface;
`,
      'src/config/app-config.ts': empty('AppConfig'),
      [`${A}/domain/order-status.ts`]: `export const ORDER_STATUSES = ['pending'] as const;\n`,
      [`${A}/infrastructure/persistence/order.orm-entity.ts`]: empty('OrderOrmEntity'),
      'src/platform/persistence/migration-table-options.ts': `export const tableOptions = (): string => '';\n`,
      'src/platform/persistence/typeorm-unit-of-work.ts': empty('TypeOrmUnitOfWork'),
    },
    expected: [
      ['migrations-allow-list', 'migrations/1700000000000-create-orders.ts', 'class-validator'],
      ['migrations-allow-list', 'migrations/1700000000000-create-orders.ts', 'src/config/app-config.ts'],
      ['migrations-allow-list', 'migrations/1700000000000-create-orders.ts', `${A}/domain/order-status.ts`],
      [
        'migrations-allow-list',
        'migrations/1700000000000-create-orders.ts',
        `${A}/infrastructure/persistence/order.orm-entity.ts`,
      ],
      [
        'migrations-allow-list',
        'migrations/1700000000000-create-orders.ts',
        'src/platform/persistence/typeorm-unit-of-work.ts',
      ],
    ],
  },
  'runtime-cycle': {
    title: 'no-circular: a.ts → b.ts → a.ts',
    files: {
      'src/platform/cycle/a.ts': `import { b } from './b.js';\nexport const a = (): number => b() + 1;\n`,
      'src/platform/cycle/b.ts': `import { a } from './a.js';\nexport const b = (): number => (a.length > 0 ? 1 : 0);\n`,
    },
    expected: [['no-circular', 'src/platform/cycle/a.ts', 'src/platform/cycle/b.ts']],
  },
  'src-imports-test': {
    title: 'not-to-test: production code importing test/ (a spec beside it may)',
    files: {
      'src/platform/http/seed.ts': `import { anOrder } from '../../../test/support/builders.js';\nexport const seed = anOrder;\n`,
      'src/platform/http/seed.spec.ts': `import { anOrder } from '../../../test/support/builders.js';\nimport { seed } from './seed.js';\nexport const same = seed === anOrder;\n`,
      'test/support/builders.ts': `export const anOrder = { qty: 1 };\n`,
    },
    expected: [
      ['not-to-test', 'src/platform/http/seed.ts', 'test/support/builders.ts'],
      ['platform-allow-list', 'src/platform/http/seed.ts', 'test/support/builders.ts'],
    ],
  },
  'imports-spec': {
    title: 'not-to-spec: importing a *.spec.ts file',
    files: {
      [`${A}/application/b.handler.spec.ts`]: `import { helper } from './a.handler.spec.js';\nexport const h = helper;\n`,
      [`${A}/application/a.handler.spec.ts`]: `export const helper = 1;\n`,
    },
    expected: [['not-to-spec', `${A}/application/b.handler.spec.ts`, `${A}/application/a.handler.spec.ts`]],
  },
  'src-imports-dev-dependency': {
    title: 'not-to-dev-dep: runtime import of a devDependency from src (types and specs may)',
    files: {
      'src/platform/http/smoke.ts': `import request from 'supertest';\nimport type { Mock } from 'vitest';\nexport const r = request;\nexport type M = Mock;\n`,
      'src/platform/http/smoke.spec.ts': `import { expect } from 'vitest';\nexport const e = expect;\n`,
    },
    expected: [['not-to-dev-dep', 'src/platform/http/smoke.ts', 'supertest']],
  },
  unresolvable: {
    title: 'not-to-unresolvable: a missing file and a package that is not installed (and no allow-list noise)',
    files: {
      'src/platform/config/load.ts': `import { x } from './missing.js';\nimport y from 'no-such-package-here';\nexport const z = [x, y];\n`,
    },
    expected: [
      ['not-to-unresolvable', 'src/platform/config/load.ts', './missing.js'],
      ['not-to-unresolvable', 'src/platform/config/load.ts', 'no-such-package-here'],
    ],
  },
};

const root = (caseId: string): string => `${FIXTURES}/${caseId}`;

describe('architecture rules (.dependency-cruiser.cjs)', () => {
  let all: ICruiseResult;

  beforeAll(async () => {
    await removeStaleFixtures();
    await writeTree(root('compliant'), COMPLIANT);
    for (const [caseId, { files }] of Object.entries(CASES)) await writeTree(root(caseId), files);
    all = await cruiseJson(FIXTURES);
  });

  afterAll(async () => {
    await rm(path.join(REPO, FIXTURES), { recursive: true, force: true });
  });

  it('passes a compliant context tree (layers, contracts, type-only entity cycle, spec helpers)', () => {
    expect(violationsUnder(all, root('compliant'))).toEqual([]);
  });

  it('resolves ESM `./x.js` imports to the `.ts` sources', () => {
    const prefix = `${root('compliant')}/`;
    const local = all.modules
      .filter((m) => m.source.startsWith(prefix))
      .flatMap((m) => m.dependencies)
      .filter((d) => d.module.startsWith('.'));
    expect(local.length).toBeGreaterThan(20);
    for (const dep of local) {
      expect(dep.couldNotResolve, dep.module).toBe(false);
      expect(dep.resolved, dep.module).toMatch(/\.ts$/);
    }
  });

  it.each(Object.entries(CASES).map(([caseId, c]) => [c.title, caseId, c.expected] as const))(
    '%s',
    (_title, caseId, expected) => {
      expect(violationsUnder(all, root(caseId))).toEqual(sorted(expected));
    },
  );

  it('covers every rule of the config with at least one violating case', () => {
    const config = createRequire(import.meta.url)(path.join(REPO, CONFIG)) as { forbidden: { name: string }[] };
    const ruleNames = config.forbidden.map((r) => r.name);
    const bitten = new Set(Object.values(CASES).flatMap((c) => c.expected.map(([rule]) => rule)));
    expect(ruleNames.filter((name) => !bitten.has(name))).toEqual([]);
  });

  it('`lint:arch` (default err reporter) exits non-zero and names the rule and the import', async () => {
    const { code, stdout } = await depcruise([root('domain-imports-nestjs')]);
    expect(code).toBe(1);
    expect(stdout).toContain(
      `error domain-allow-list: ${root('domain-imports-nestjs')}/${A}/domain/order.aggregate.ts → node_modules/@nestjs/common`,
    );
  });

  it('`lint:arch` exits 0 on the compliant tree', async () => {
    const { code, stdout } = await depcruise([root('compliant')]);
    expect(stdout).not.toMatch(/error|warn/);
    expect(code).toBe(0);
  });

  it.skipIf(!existsSync(path.join(REPO, 'src')))('the real src/ tree has no violations', async () => {
    const result = await cruiseJson('src');
    const report = result.summary.violations.map((v) => `${v.rule.severity} ${v.rule.name}: ${v.from} → ${v.to}`);
    expect(report).toEqual([]);
  });
});
