import { Logger } from '@nestjs/common';
import { InMemoryUnitOfWork } from '../../../test/support/fakes/in-memory-unit-of-work.js';
import { DomainEvent } from '../../shared/domain/domain-event.js';
import { AfterCommit } from './after-commit.js';

class ThingChanged extends DomainEvent {
  readonly type = 'test.thing_changed';
  constructor(id: string) {
    super(id, new Date(0));
  }
  payload() {
    return { id: this.aggregateId };
  }
}

class ThingArchived extends DomainEvent {
  readonly type = 'test.thing_archived';
  constructor(id: string) {
    super(id, new Date(0));
  }
  payload() {
    return { id: this.aggregateId };
  }
}

class Unrelated extends DomainEvent {
  readonly type = 'test.unrelated';
  constructor(id: string) {
    super(id, new Date(0));
  }
  payload() {
    return {};
  }
}

describe('AfterCommit', () => {
  it('answers undefined (nothing to await) when no listener matches', () => {
    const afterCommit = new AfterCommit();
    expect(afterCommit.dispatch([new Unrelated('1')])).toBeUndefined();
    afterCommit.on([ThingChanged], () => undefined);
    expect(afterCommit.dispatch([new Unrelated('1')])).toBeUndefined();
    expect(afterCommit.dispatch([])).toBeUndefined();
  });

  it('calls each listener once per matching event, by exact class', async () => {
    const afterCommit = new AfterCommit();
    const seen: string[] = [];
    afterCommit.on<ThingChanged | ThingArchived>(
      [ThingChanged, ThingArchived],
      (event) => void seen.push(`a:${event.type}:${event.aggregateId}`),
    );
    afterCommit.on([ThingArchived], (event) => void seen.push(`b:${event.type}:${event.aggregateId}`));

    await afterCommit.dispatch([new ThingChanged('1'), new Unrelated('2'), new ThingArchived('3')]);

    expect(seen).toEqual(['a:test.thing_changed:1', 'a:test.thing_archived:3', 'b:test.thing_archived:3']);
  });

  it('waits for asynchronous listeners and never rejects, logging a failure', async () => {
    const afterCommit = new AfterCommit();
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    let finished = false;
    afterCommit.on([ThingChanged], async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      finished = true;
    });
    afterCommit.on([ThingChanged], () => {
      throw new Error('redis said no');
    });

    await expect(afterCommit.dispatch([new ThingChanged('1')])).resolves.toBeUndefined();

    expect(finished).toBe(true);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('redis said no'));
    warn.mockRestore();
  });
});

describe('InMemoryUnitOfWork honours AfterCommit like the TypeORM one', () => {
  /** A minimal aggregate stand-in: what the unit of work reads from saved aggregates. */
  function saved(unitOfWork: InMemoryUnitOfWork, event: DomainEvent) {
    const aggregate = { pendingEvents: [event], markSaved: () => undefined };
    unitOfWork.track(aggregate as never);
  }

  it('resolves run only after the listeners settled, and not for a rolled-back run', async () => {
    const unitOfWork = new InMemoryUnitOfWork();
    const calls: string[] = [];
    unitOfWork.afterCommit.on([ThingChanged], async (event) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      calls.push(event.aggregateId);
    });

    await unitOfWork.run(async () => saved(unitOfWork, new ThingChanged('committed')));
    expect(calls).toEqual(['committed']);

    await expect(
      unitOfWork.run(async () => {
        saved(unitOfWork, new ThingChanged('rolled-back'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(calls).toEqual(['committed']);
  });

  it('runs the listeners once for a run retried after a conflict', async () => {
    const unitOfWork = new InMemoryUnitOfWork();
    const calls: string[] = [];
    unitOfWork.afterCommit.on([ThingChanged], (event) => void calls.push(event.aggregateId));
    unitOfWork.simulateConflicts(2);
    await unitOfWork.run(async () => saved(unitOfWork, new ThingChanged('once')));
    expect(calls).toEqual(['once']);
  });

  it('keeps the write when a listener fails', async () => {
    const unitOfWork = new InMemoryUnitOfWork();
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    unitOfWork.afterCommit.on([ThingChanged], () => Promise.reject(new Error('listener failed')));
    await expect(unitOfWork.run(async () => 'done')).resolves.toBe('done');
    await expect(
      unitOfWork.run(async () => {
        saved(unitOfWork, new ThingChanged('1'));
        return 'still done';
      }),
    ).resolves.toBe('still done');
    expect(unitOfWork.commits).toBe(2);
    warn.mockRestore();
  });
});
