import { DomainEvent } from '../../shared/domain/domain-event.js';
import { BeforeCommit } from './before-commit.js';

class Placed extends DomainEvent {
  readonly type = 'test.placed';
  constructor(id: string) {
    super(id, new Date(0));
  }
  payload() {
    return {};
  }
}
class Changed extends DomainEvent {
  readonly type = 'test.changed';
  constructor(id: string) {
    super(id, new Date(0));
  }
  payload() {
    return {};
  }
}

describe('BeforeCommit', () => {
  it('runs listeners one after the other, in the order the events were recorded, by exact class', async () => {
    const hooks = new BeforeCommit();
    const seen: string[] = [];
    hooks.on<Placed | Changed>([Placed, Changed], async (event) => {
      await new Promise((resolve) => setTimeout(resolve, event instanceof Placed ? 5 : 0));
      seen.push(`${event.type}:${event.aggregateId}`);
    });
    await hooks.dispatch([new Placed('a'), new Changed('a'), new Placed('b')]);
    expect(seen).toEqual(['test.placed:a', 'test.changed:a', 'test.placed:b']);
  });

  it('rejects with a listener’s failure, so the unit of work rolls back', async () => {
    const hooks = new BeforeCommit();
    hooks.on([Placed], () => {
      throw new Error('projection failed');
    });
    await expect(hooks.dispatch([new Placed('a')])).rejects.toThrow('projection failed');
    await expect(hooks.dispatch([new Changed('a')])).resolves.toBeUndefined();
  });
});
