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
// A compliant tree: one context (alpha) shaped as ARCHITECTURE §2 describes, a second one (beta) reached through
// its contracts, shared kernel, platform, a unit test using test/support and a devDependency, and TypeORM
// entities whose mutual reference is broken by `import type`.
// ---------------------------------------------------------------------------------------------------------------
const COMPLIANT: Files = {
  'src/shared/domain/aggregate-root.ts': `export abstract class AggregateRoot { protected readonly events: unknown[] = []; }\n`,
  'src/shared/domain/domain-error.ts': `export class DomainError extends Error {}\n`,
  'src/shared/application/clock.ts': `export const CLOCK = Symbol('CLOCK');\nexport interface Clock { now(): Date; }\n`,
  'src/platform/persistence/unit-of-work.ts': `import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
@Injectable()
export class TypeOrmUnitOfWork { constructor(private readonly ds?: DataSource) {} }
`,
  'src/modules/alpha/domain/order.errors.ts': `import { DomainError } from '../../../shared/domain/domain-error.js';
export class OutOfStockError extends DomainError {}
`,
  'src/modules/alpha/domain/order.aggregate.ts': `import { AggregateRoot } from '../../../shared/domain/aggregate-root.js';
import { OutOfStockError } from './order.errors.js';
export class Order extends AggregateRoot { static place(qty: number): Order { if (qty < 1) throw new OutOfStockError(); return new Order(); } }
`,
  'src/modules/alpha/domain/order.repository.ts': `import type { Order } from './order.aggregate.js';
export const ORDER_REPOSITORY = Symbol('ORDER_REPOSITORY');
export interface OrderRepository { save(order: Order): Promise<void>; }
`,
  'src/modules/alpha/application/commands/place-order/place-order.command.ts': `export class PlaceOrderCommand { constructor(readonly qty: number) {} }\n`,
  'src/modules/alpha/application/commands/place-order/place-order.handler.ts': `import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '../../../../../shared/application/clock.js';
import { BETA_FACADE, type BetaFacade } from '../../../../beta/contracts/index.js';
import { Order } from '../../../domain/order.aggregate.js';
import { ORDER_REPOSITORY, type OrderRepository } from '../../../domain/order.repository.js';
import { PlaceOrderCommand } from './place-order.command.js';
@CommandHandler(PlaceOrderCommand)
export class PlaceOrderHandler {
  constructor(
    @Inject(ORDER_REPOSITORY) private readonly orders: OrderRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(BETA_FACADE) private readonly beta: BetaFacade,
  ) {}
  async execute(cmd: PlaceOrderCommand): Promise<void> { await this.orders.save(Order.place(cmd.qty)); }
}
`,
  'src/modules/alpha/application/commands/place-order/place-order.handler.spec.ts': `import { describe, it } from 'vitest';
import { anOrder } from '../../../../../../test/support/builders.js';
import { PlaceOrderHandler } from './place-order.handler.js';
describe('PlaceOrderHandler', () => { it('exists', () => { void anOrder; void PlaceOrderHandler; }); });
`,
  'test/support/builders.ts': `export const anOrder = { qty: 1 };\n`,
  'src/modules/alpha/infrastructure/persistence/order.orm-entity.ts': `import { Entity, OneToMany, type Relation } from 'typeorm';
import type { OrderLineOrmEntity } from './order-line.orm-entity.js';
@Entity('orders')
export class OrderOrmEntity { @OneToMany('OrderLineOrmEntity', 'order') lines: Relation<OrderLineOrmEntity>[]; }
`,
  'src/modules/alpha/infrastructure/persistence/order-line.orm-entity.ts': `import { Entity, ManyToOne, type Relation } from 'typeorm';
import { OrderOrmEntity } from './order.orm-entity.js';
@Entity('order_lines')
export class OrderLineOrmEntity { @ManyToOne(() => OrderOrmEntity) order: Relation<OrderOrmEntity>; }
`,
  'src/modules/alpha/infrastructure/persistence/typeorm-order.repository.ts': `import { Injectable } from '@nestjs/common';
import { TypeOrmUnitOfWork } from '../../../../platform/persistence/unit-of-work.js';
import type { Order } from '../../domain/order.aggregate.js';
import type { OrderRepository } from '../../domain/order.repository.js';
import { OrderOrmEntity } from './order.orm-entity.js';
@Injectable()
export class TypeOrmOrderRepository implements OrderRepository {
  constructor(private readonly uow: TypeOrmUnitOfWork) {}
  async save(order: Order): Promise<void> { void order; void OrderOrmEntity; }
}
`,
  'src/modules/alpha/interface/http/dto/place-order.dto.ts': `import { ApiProperty } from '@nestjs/swagger';
import { IsInt } from 'class-validator';
export class PlaceOrderDto { @ApiProperty() @IsInt() qty: number; }
`,
  'src/modules/alpha/interface/http/orders.controller.ts': `import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { PlaceOrderCommand } from '../../application/commands/place-order/place-order.command.js';
import { PlaceOrderDto } from './dto/place-order.dto.js';
@Controller('orders')
export class OrdersController {
  constructor(private readonly commandBus: CommandBus) {}
  @Post() place(@Body() dto: PlaceOrderDto): Promise<void> { return this.commandBus.execute(new PlaceOrderCommand(dto.qty)); }
}
`,
  'src/modules/alpha/contracts/alpha.events.ts': `export class OrderPlacedIntegrationEvent { constructor(readonly orderId: string) {} }\n`,
  'src/modules/alpha/contracts/index.ts': `export { OrderPlacedIntegrationEvent } from './alpha.events.js';\n`,
  'src/modules/alpha/alpha.module.ts': `import { Module } from '@nestjs/common';
import { PlaceOrderHandler } from './application/commands/place-order/place-order.handler.js';
import { ORDER_REPOSITORY } from './domain/order.repository.js';
import { TypeOrmOrderRepository } from './infrastructure/persistence/typeorm-order.repository.js';
import { OrdersController } from './interface/http/orders.controller.js';
@Module({
  controllers: [OrdersController],
  providers: [PlaceOrderHandler, { provide: ORDER_REPOSITORY, useClass: TypeOrmOrderRepository }],
})
export class AlphaModule {}
`,
  'src/modules/beta/contracts/beta.facade.ts': `export const BETA_FACADE = Symbol('BETA_FACADE');\nexport interface BetaFacade { reserve(sku: string): Promise<boolean>; }\n`,
  'src/modules/beta/contracts/index.ts': `export { BETA_FACADE, type BetaFacade } from './beta.facade.js';\n`,
  'src/modules/beta/application/event-handlers/on-order-placed.handler.ts': `import { EventsHandler } from '@nestjs/cqrs';
import { OrderPlacedIntegrationEvent } from '../../../alpha/contracts/index.js';
@EventsHandler(OrderPlacedIntegrationEvent)
export class OnOrderPlacedHandler { handle(event: OrderPlacedIntegrationEvent): void { void event; } }
`,
  'src/modules/beta/beta.module.ts': `import { Module } from '@nestjs/common';
import { OnOrderPlacedHandler } from './application/event-handlers/on-order-placed.handler.js';
@Module({ providers: [OnOrderPlacedHandler] })
export class BetaModule {}
`,
  'src/app.module.ts': `import { Module } from '@nestjs/common';
import { AlphaModule } from './modules/alpha/alpha.module.js';
import { BetaModule } from './modules/beta/beta.module.js';
@Module({ imports: [AlphaModule, BetaModule] })
export class AppModule {}
`,
};

interface Case {
  title: string;
  files: Files;
  expected: readonly Expected[];
}

const A = 'src/modules/alpha';

// Violating trees. Each lists *every* violation it must produce — an extra or a missing one fails the case.
const CASES: Record<string, Case> = {
  'domain-imports-nestjs': {
    title: 'domain-is-pure: a domain file importing @nestjs/common',
    files: {
      [`${A}/domain/order.aggregate.ts`]: `import { Injectable } from '@nestjs/common';\n@Injectable()\nexport class Order {}\n`,
    },
    expected: [['domain-is-pure', `${A}/domain/order.aggregate.ts`, '@nestjs/common']],
  },
  'domain-imports-typeorm-type': {
    title: 'domain-is-pure: a domain file importing typeorm, even as `import type`',
    files: {
      [`${A}/domain/order.repository.ts`]: `import type { Repository } from 'typeorm';\nexport type OrderRepository = Repository<object>;\n`,
    },
    expected: [['domain-is-pure', `${A}/domain/order.repository.ts`, 'typeorm']],
  },
  'shared-domain-imports-builtin-and-application': {
    title: 'domain-is-pure: shared/domain importing node:crypto and shared/application',
    files: {
      'src/shared/domain/id.ts': `import { randomUUID } from 'node:crypto';\nimport { CLOCK } from '../application/clock.js';\nexport const newId = (): string => randomUUID() + String(CLOCK);\n`,
      'src/shared/application/clock.ts': `export const CLOCK = Symbol('CLOCK');\n`,
    },
    expected: [
      ['domain-is-pure', 'src/shared/domain/id.ts', 'crypto'],
      ['domain-is-pure', 'src/shared/domain/id.ts', 'src/shared/application/clock.ts'],
    ],
  },
  'domain-imports-other-context-domain': {
    title: "domain-is-pure + contexts-talk-through-contracts: alpha's domain importing beta's domain",
    files: {
      [`${A}/domain/order.aggregate.ts`]: `import { Sku } from '../../beta/domain/x.js';\nexport class Order { sku?: Sku; }\n`,
      'src/modules/beta/domain/x.ts': `export class Sku {}\n`,
    },
    expected: [
      ['domain-is-pure', `${A}/domain/order.aggregate.ts`, 'src/modules/beta/domain/x.ts'],
      ['contexts-talk-through-contracts', `${A}/domain/order.aggregate.ts`, 'src/modules/beta/domain/x.ts'],
    ],
  },
  'application-imports-adapters': {
    title: 'application-no-adapters: infrastructure, interface, module file, platform and adapter packages',
    files: {
      [`${A}/application/place-order.handler.ts`]: `import { Injectable } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import { IsInt } from 'class-validator';
import { Repository } from 'typeorm';
import { TypeOrmOrderRepository } from '../infrastructure/x.js';
import { PlaceOrderDto } from '../interface/http/place-order.dto.js';
import { AlphaModule } from '../alpha.module.js';
import { TypeOrmUnitOfWork } from '../../../platform/persistence/unit-of-work.js';
@Injectable() @CommandHandler(Object)
export class PlaceOrderHandler { deps = [IsInt, Repository, TypeOrmOrderRepository, PlaceOrderDto, AlphaModule, TypeOrmUnitOfWork]; }
`,
      [`${A}/infrastructure/x.ts`]: `export class TypeOrmOrderRepository {}\n`,
      [`${A}/interface/http/place-order.dto.ts`]: `export class PlaceOrderDto {}\n`,
      [`${A}/alpha.module.ts`]: `export class AlphaModule {}\n`,
      'src/platform/persistence/unit-of-work.ts': `export class TypeOrmUnitOfWork {}\n`,
    },
    expected: [
      ['application-no-adapters', `${A}/application/place-order.handler.ts`, 'class-validator'],
      ['application-no-adapters', `${A}/application/place-order.handler.ts`, 'typeorm'],
      ['application-no-adapters', `${A}/application/place-order.handler.ts`, `${A}/infrastructure/x.ts`],
      ['application-no-adapters', `${A}/application/place-order.handler.ts`, `${A}/interface/http/place-order.dto.ts`],
      ['application-no-adapters', `${A}/application/place-order.handler.ts`, `${A}/alpha.module.ts`],
      [
        'application-no-adapters',
        `${A}/application/place-order.handler.ts`,
        'src/platform/persistence/unit-of-work.ts',
      ],
    ],
  },
  'context-imports-other-context-internals': {
    title: "contexts-talk-through-contracts: beta's application/infrastructure/module are private, contracts are not",
    files: {
      [`${A}/application/place-order.handler.ts`]: `import { GetStockHandler } from '../../beta/application/get-stock.handler.js';
import { BETA_FACADE } from '../../beta/contracts/index.js';
export class PlaceOrderHandler { deps = [GetStockHandler, BETA_FACADE]; }
`,
      [`${A}/infrastructure/stock.client.ts`]: `import { StockOrmEntity } from '../../beta/infrastructure/stock.orm-entity.js';\nexport class StockClient { e = StockOrmEntity; }\n`,
      [`${A}/alpha.module.ts`]: `import { BetaModule } from '../beta/beta.module.js';\nexport class AlphaModule { m = BetaModule; }\n`,
      'src/modules/beta/application/get-stock.handler.ts': `export class GetStockHandler {}\n`,
      'src/modules/beta/infrastructure/stock.orm-entity.ts': `export class StockOrmEntity {}\n`,
      'src/modules/beta/contracts/index.ts': `export const BETA_FACADE = Symbol('BETA_FACADE');\n`,
      'src/modules/beta/beta.module.ts': `export class BetaModule {}\n`,
    },
    expected: [
      [
        'contexts-talk-through-contracts',
        `${A}/application/place-order.handler.ts`,
        'src/modules/beta/application/get-stock.handler.ts',
      ],
      [
        'contexts-talk-through-contracts',
        `${A}/infrastructure/stock.client.ts`,
        'src/modules/beta/infrastructure/stock.orm-entity.ts',
      ],
      ['contexts-talk-through-contracts', `${A}/alpha.module.ts`, 'src/modules/beta/beta.module.ts'],
    ],
  },
  'contracts-import-internals': {
    title: "contracts-are-lean: contracts re-exporting their own context's application and infrastructure",
    files: {
      [`${A}/contracts/index.ts`]: `export { PlaceOrderCommand } from '../application/place-order.command.js';\nexport { OrderOrmEntity } from '../infrastructure/order.orm-entity.js';\nexport { OrderPlaced } from './alpha.events.js';\n`,
      [`${A}/contracts/alpha.events.ts`]: `export class OrderPlaced {}\n`,
      [`${A}/application/place-order.command.ts`]: `export class PlaceOrderCommand {}\n`,
      [`${A}/infrastructure/order.orm-entity.ts`]: `export class OrderOrmEntity {}\n`,
    },
    expected: [
      ['contracts-are-lean', `${A}/contracts/index.ts`, `${A}/application/place-order.command.ts`],
      ['contracts-are-lean', `${A}/contracts/index.ts`, `${A}/infrastructure/order.orm-entity.ts`],
    ],
  },
  'shared-imports-modules': {
    title: 'shared-kernel-is-context-free: shared and platform importing a context (even its contracts)',
    files: {
      'src/shared/application/notifier.ts': `import { OrderPlaced } from '../../modules/alpha/contracts/index.js';\nexport type Notify = (e: OrderPlaced) => void;\n`,
      'src/platform/http/exception.filter.ts': `import { OutOfStockError } from '../../modules/alpha/domain/order.errors.js';\nexport const mapped = [OutOfStockError];\n`,
      [`${A}/contracts/index.ts`]: `export class OrderPlaced {}\n`,
      [`${A}/domain/order.errors.ts`]: `export class OutOfStockError extends Error {}\n`,
    },
    expected: [
      ['shared-kernel-is-context-free', 'src/shared/application/notifier.ts', `${A}/contracts/index.ts`],
      ['shared-kernel-is-context-free', 'src/platform/http/exception.filter.ts', `${A}/domain/order.errors.ts`],
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
    expected: [['not-to-test', 'src/platform/http/seed.ts', 'test/support/builders.ts']],
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
    title: 'not-to-unresolvable: a missing file and a package that is not installed',
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
      `error domain-is-pure: ${root('domain-imports-nestjs')}/${A}/domain/order.aggregate.ts → node_modules/@nestjs/common`,
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
