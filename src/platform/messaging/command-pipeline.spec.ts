import type { DiscoveryService } from '@nestjs/core';
import { Command, CommandHandler } from '@nestjs/cqrs';
import { InMemoryUnitOfWork } from '../../../test/support/fakes/in-memory-unit-of-work.js';
import {
  FailAfterCommit,
  type TransactionalCommandHandler,
} from '../../shared/application/transactional-command-handler.js';
import { CommandPipeline } from './command-pipeline.js';

class Rename extends Command<string> {
  constructor(readonly name: string) {
    super();
  }
}

/** Records where each step ran: inside or outside the unit of work's transaction. */
@CommandHandler(Rename)
class RenameHandler implements TransactionalCommandHandler<Rename, string, string> {
  readonly steps: string[] = [];

  constructor(private readonly unitOfWork: InMemoryUnitOfWork) {}

  async prepare(command: Rename): Promise<string> {
    this.steps.push(`prepare in transaction: ${this.inTransaction()}`);
    return command.name.toUpperCase();
  }

  async execute(command: Rename, prepared: string): Promise<string | FailAfterCommit> {
    this.steps.push(`execute in transaction: ${this.inTransaction()}`);
    if (command.name === 'refuse') return new FailAfterCommit(new Error('refused after commit'));
    if (command.name === 'explode') throw new Error('rolled back');
    return prepared;
  }

  private inTransaction(): boolean {
    try {
      this.unitOfWork.track({ pendingEvents: [], markSaved: () => undefined } as never);
      return true;
    } catch {
      return false;
    }
  }
}

class NotAHandler {
  execute(): string {
    return 'untouched';
  }
}

function setUp() {
  const unitOfWork = new InMemoryUnitOfWork();
  const handler = new RenameHandler(unitOfWork);
  const bystander = new NotAHandler();
  const discovery = {
    getProviders: () => [
      { instance: handler, metatype: RenameHandler },
      { instance: bystander, metatype: NotAHandler },
      { instance: null, metatype: null },
    ],
  } as unknown as DiscoveryService;
  new CommandPipeline(discovery, unitOfWork).onModuleInit();
  // What the CQRS command bus calls: the instance's own `execute`, with the command only.
  const send = (command: Rename) => (handler.execute as (command: Rename) => Promise<string>)(command);
  return { unitOfWork, handler, bystander, send };
}

describe('CommandPipeline', () => {
  it('wraps every @CommandHandler: prepare outside the transaction, execute inside one, once', async () => {
    const { handler, unitOfWork, bystander, send } = setUp();
    expect(await send(new Rename('ada'))).toBe('ADA');
    expect(handler.steps).toEqual(['prepare in transaction: false', 'execute in transaction: true']);
    expect([unitOfWork.runs, unitOfWork.commits]).toEqual([1, 1]);
    expect(bystander.execute()).toBe('untouched');
  });

  it('re-runs only execute on a deadlock, with the same prepared value', async () => {
    const { handler, unitOfWork, send } = setUp();
    unitOfWork.simulateConflicts(1);
    expect(await send(new Rename('ada'))).toBe('ADA');
    expect(handler.steps).toEqual([
      'prepare in transaction: false',
      'execute in transaction: true',
      'execute in transaction: true',
    ]);
    expect([unitOfWork.runs, unitOfWork.rollbacks, unitOfWork.commits]).toEqual([2, 1, 1]);
  });

  it('commits, then fails, for FailAfterCommit; rolls back for a thrown error', async () => {
    const { unitOfWork, send } = setUp();
    await expect(send(new Rename('refuse'))).rejects.toThrow('refused after commit');
    expect([unitOfWork.commits, unitOfWork.rollbacks]).toEqual([1, 0]);
    await expect(send(new Rename('explode'))).rejects.toThrow('rolled back');
    expect([unitOfWork.commits, unitOfWork.rollbacks]).toEqual([1, 1]);
  });
});
