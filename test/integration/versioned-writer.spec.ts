import { Column, Entity, PrimaryColumn, Table, type DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { VersionedWriter, type ChildRows } from '../../src/platform/persistence/versioned-writer.js';
import { AggregateRoot } from '../../src/shared/domain/aggregate-root.js';
import { ConcurrentUpdateError } from '../../src/shared/domain/domain-error.js';
import { createPersistenceHarness, type PersistenceHarness } from '../support/persistence-harness.js';
import { createTestDataSource } from '../support/test-data-source.js';
import { describeProfile, testProfile } from '../support/test-profile.js';

// A parent with child rows, as an order with lines will be. Tables of the test's own, created and dropped here.
@Entity({ name: 'test_vw_parents' })
class ParentRow {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ type: 'varchar', length: 50 }) label: string;
  @Column({ type: 'int' }) version: number;
}

@Entity({ name: 'test_vw_children' })
class ChildRow {
  @PrimaryColumn({ name: 'parent_id', type: 'varchar', length: 36 }) parentId: string;
  @PrimaryColumn({ type: 'int' }) position: number;
  @Column({ type: 'varchar', length: 50 }) item: string;
}

class Parent extends AggregateRoot {
  constructor(
    id: string,
    public label: string,
    public items: string[],
    storedVersion?: number,
  ) {
    super(id, storedVersion);
  }

  replaceItems(items: string[]): void {
    this.items = items;
    this.touch();
  }
}

const children: ChildRows<Parent, ChildRow> = {
  target: ChildRow,
  parentColumn: 'parentId',
  toRows: (parent) => parent.items.map((item, position) => ({ parentId: parent.id, position, item })),
};

describe(describeProfile('VersionedWriter: child rows and locking reads'), () => {
  let dataSource: DataSource;
  let harness: PersistenceHarness;
  let writer: VersionedWriter<Parent, ParentRow>;

  beforeAll(async () => {
    dataSource = await createTestDataSource({ poolSize: 5 }, [ParentRow, ChildRow]);
    const runner = dataSource.createQueryRunner();
    await runner.createTable(
      new Table({
        name: 'test_vw_parents',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'label', type: 'varchar', length: '50' },
          { name: 'version', type: 'int' },
        ],
      }),
      true,
    );
    await runner.createTable(
      new Table({
        name: 'test_vw_children',
        columns: [
          { name: 'parent_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'position', type: 'int', isPrimary: true },
          { name: 'item', type: 'varchar', length: '50' },
        ],
      }),
      true,
    );
    await runner.release();
    harness = createPersistenceHarness(dataSource);
    writer = new VersionedWriter(
      harness.context,
      ParentRow,
      (parent) => ({ id: parent.id, label: parent.label, version: parent.version }),
      [children],
    );
  });

  afterAll(async () => {
    const runner = dataSource.createQueryRunner();
    await runner.dropTable('test_vw_children', true);
    await runner.dropTable('test_vw_parents', true);
    await runner.release();
    await dataSource.destroy();
  });

  const itemsOf = async (id: string) =>
    (await dataSource.getRepository(ChildRow).find({ where: { parentId: id }, order: { position: 'ASC' } })).map(
      (row) => row.item,
    );

  it('writes an aggregate and its child rows in one transaction, and replaces the children on update', async () => {
    const parent = new Parent(uuidv7(), 'order', ['apple', 'pear', 'plum']);
    await harness.unitOfWork.run(() => writer.save(parent));
    expect(await itemsOf(parent.id)).toEqual(['apple', 'pear', 'plum']);

    const loaded = new Parent(parent.id, 'order', await itemsOf(parent.id), 1);
    loaded.replaceItems(['fig']);
    await harness.unitOfWork.run(() => writer.save(loaded));
    expect(await itemsOf(parent.id)).toEqual(['fig']);
    expect((await dataSource.getRepository(ParentRow).findOneByOrFail({ id: parent.id })).version).toBe(2);
  });

  it('leaves the children untouched when the version check fails (a stale writer)', async () => {
    const parent = new Parent(uuidv7(), 'order', ['apple']);
    await harness.unitOfWork.run(() => writer.save(parent));
    const first = new Parent(parent.id, 'order', ['apple'], 1);
    const stale = new Parent(parent.id, 'order', ['apple'], 1);
    first.replaceItems(['kiwi']);
    await harness.unitOfWork.run(() => writer.save(first));
    stale.replaceItems(['lime', 'lemon']);

    await expect(harness.unitOfWork.run(() => writer.save(stale))).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(await itemsOf(parent.id)).toEqual(['kiwi']);
  });

  it('rolls the children back with the aggregate', async () => {
    const parent = new Parent(uuidv7(), 'order', ['apple', 'pear']);
    await expect(
      harness.unitOfWork.run(async () => {
        await writer.save(parent);
        throw new Error('later step failed');
      }),
    ).rejects.toThrow('later step failed');
    expect(await itemsOf(parent.id)).toEqual([]);
  });

  it('loads the children of many aggregates with one query, grouped by parent', async () => {
    const parents = [
      new Parent(uuidv7(), 'a', ['x', 'y']),
      new Parent(uuidv7(), 'b', []),
      new Parent(uuidv7(), 'c', ['z']),
    ];
    await harness.unitOfWork.run(async () => {
      for (const parent of parents) await writer.save(parent);
    });
    const queries: string[] = [];
    const grouped = await harness.unitOfWork.run(async () => {
      const runner = harness.context.manager().queryRunner;
      if (runner !== undefined) {
        const query = runner.query.bind(runner);
        runner.query = ((...args: Parameters<typeof query>) => {
          if (/^\s*SELECT/i.test(args[0])) queries.push(args[0]);
          return query(...args);
        }) as typeof runner.query;
      }
      return writer.loadChildren(
        children,
        parents.map((parent) => parent.id),
      );
    });
    expect(queries).toHaveLength(1);
    expect(parents.map((parent) => grouped.get(parent.id)?.map((row) => row.item))).toEqual([['x', 'y'], [], ['z']]);
  });

  it('refuses a locking read outside a unit of work (it would lock nothing)', async () => {
    await expect(writer.findForUpdate({ id: uuidv7() })).rejects.toThrow(/outside a unit of work/);
  });

  describe.skipIf(testProfile().kind !== 'server')('on MariaDB', () => {
    it('findForUpdate holds the row until the transaction ends: a second locking read waits for it', async () => {
      const parent = new Parent(uuidv7(), 'locked', []);
      await harness.unitOfWork.run(() => writer.save(parent));
      const order: string[] = [];
      let releaseFirst: () => void = () => undefined;
      const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
      let firstLocked: () => void = () => undefined;
      const locked = new Promise<void>((resolve) => (firstLocked = resolve));

      const first = harness.unitOfWork.run(async () => {
        await writer.findForUpdate({ id: parent.id });
        order.push('first locked');
        firstLocked();
        await firstHolds;
        order.push('first commits');
      });
      await locked;
      const second = harness.unitOfWork.run(async () => {
        await writer.findForUpdate({ id: parent.id });
        order.push('second locked');
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(order).toEqual(['first locked']);
      releaseFirst();
      await Promise.all([first, second]);
      expect(order).toEqual(['first locked', 'first commits', 'second locked']);
    });
  });
});
